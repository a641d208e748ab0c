// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const menu = document.querySelector("details.menu[open]:not(.bar)");
  if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
});
// On a desktop the main navigation is a bar, always open; a phone keeps the Menu button.
const mainMenu = document.querySelector("details.menu");
const wide = window.matchMedia("(min-width: 900px)");
const placeMenu = () => {
  if (!mainMenu) return;
  mainMenu.classList.toggle("bar", wide.matches);
  mainMenu.open = wide.matches;
};
wide.addEventListener("change", placeMenu);
placeMenu();
// Error pages: "Go back" needs the browser's history, so it appears only where this script runs.
document.querySelectorAll("[data-go-back]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => history.back());
});
// A field that belongs to one choice of a form (data-shown-when="decision=screen_in") shows only
// while that choice is picked; without this script every field shows, each labelled for its choice.
document.querySelectorAll("[data-shown-when]").forEach((input) => {
  const [name, value] = input.dataset.shownWhen.split("=");
  const form = input.form;
  const field = input.closest(".field") || input;
  const update = () => {
    const picked = form.querySelector(`input[name="${name}"]:checked`);
    field.hidden = Boolean(picked) && picked.value !== value;
  };
  form.addEventListener("change", update);
  update();
});
