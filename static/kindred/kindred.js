// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  const menu = document.querySelector("details.menu[open]");
  if (menu && !menu.contains(event.target)) menu.removeAttribute("open");
});
