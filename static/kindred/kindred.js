// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const menu = document.querySelector("details.menu[open]");
  if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
});
// Error pages: "Go back" needs the browser's history, so it appears only where this script runs.
document.querySelectorAll("[data-go-back]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => history.back());
});
