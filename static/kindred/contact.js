// The contact form, enhanced. Progressive enhancement only: the form works without this file.
// - "Child seen privately" shows only while a child is ticked as seen: it means nothing otherwise.
// - What was ticked or chosen (who was seen, type, place), and the time, are kept with the text
//   draft.js keeps, in the same entry, so a lost connection loses none of it. draft.js forgets
//   the whole entry once the server confirms the save.
(function () {
  "use strict";

  var PREFIX = "kindred:draft:";
  var CHOICES = "@choices";
  var form = document.querySelector("form[data-contact-form]");
  if (!form) return;
  var key = form.getAttribute("data-draft-key");
  var choosers = form.querySelectorAll("input[type=checkbox], input[type=radio]");

  var privately = form.querySelector("[data-seen-privately]");
  function showPrivately() {
    if (!privately) return;
    var childSeen = form.querySelector("input[name=people_seen][data-child]:checked") !== null;
    privately.hidden = !childSeen;
    if (!childSeen) {
      Array.prototype.forEach.call(privately.querySelectorAll("input[type=checkbox]"), function (box) {
        box.checked = false;
      });
    }
  }

  var storage = null;
  try {
    storage = window.localStorage;
    storage.getItem(PREFIX);
  } catch (error) {
    storage = null; // Storage disabled: nothing is kept, the form still posts as usual.
  }

  function read() {
    try {
      return JSON.parse(storage.getItem(PREFIX + key)) || {};
    } catch (error) {
      return {};
    }
  }

  function keepChoices() {
    var chosen = {};
    Array.prototype.forEach.call(choosers, function (input) {
      if (!input.name) return;
      chosen[input.name] = chosen[input.name] || [];
      if (input.checked) chosen[input.name].push(input.value);
    });
    var values = read();
    values[CHOICES] = chosen;
    try {
      storage.setItem(PREFIX + key, JSON.stringify(values));
    } catch (error) {
      // Storage full or refused: nothing to keep, the form still works.
    }
  }

  // On a fresh form, put back the choices and the time of a draft that has typed text (draft.js
  // puts the text back, and says so). A form the server sent back after a failed save already
  // holds everything that was posted.
  function restoreChoices() {
    var kept = read();
    var typed = Object.keys(kept).some(function (name) {
      return name !== CHOICES && name !== "occurred_at";
    });
    if (!typed) return;
    var chosen = kept[CHOICES] || {};
    Array.prototype.forEach.call(choosers, function (input) {
      if (Object.prototype.hasOwnProperty.call(chosen, input.name)) {
        input.checked = chosen[input.name].indexOf(input.value) !== -1;
      }
    });
    var when = form.querySelector("input[name=occurred_at]");
    if (when && kept.occurred_at) when.value = kept.occurred_at;
  }

  if (storage && key) {
    if (form.hasAttribute("data-fresh")) restoreChoices();
    form.addEventListener("change", keepChoices);
  }
  form.addEventListener("change", showPrivately);
  showPrivately();
})();
