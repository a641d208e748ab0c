// "Add another collateral contact": a copy of the formset's empty row, numbered after the rows there are.
(function () {
  const fieldset = document.querySelector("[data-collaterals]");
  if (!fieldset) return;
  const button = fieldset.querySelector("[data-collateral-add]");
  const total = fieldset.querySelector("input[name$='-TOTAL_FORMS']");
  const empty = fieldset.querySelector("[data-collateral-empty]");
  const rows = fieldset.querySelector("[data-collateral-rows]");
  button.hidden = false;
  button.addEventListener("click", function () {
    const index = Number(total.value);
    const row = empty.content.firstElementChild.cloneNode(true);
    row.innerHTML = row.innerHTML.replace(/__prefix__/g, String(index));
    rows.appendChild(row);
    total.value = String(index + 1);
    const first = row.querySelector("input, select");
    if (first) first.focus();
  });
})();
