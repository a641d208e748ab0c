// Keeps what was typed into a form marked data-draft-key in this browser until the server
// confirms the save, so a lost connection or a closed tab loses nothing.
// - While typing: each text field's value is kept under the form's key.
// - On load: a page confirming a save carries data-draft-saved="<key>"; that copy is forgotten.
//   Otherwise, a form showing the same key gets the kept text back into fields that are empty.
// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  var PREFIX = "kindred:draft:";
  var TYPED = [
    "textarea",
    "input:not([type])",
    "input[type=text]",
    "input[type=email]",
    "input[type=tel]",
    "input[type=number]",
    "input[type=date]",
    "input[type=datetime-local]",
  ].join(",");
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(PREFIX);
  } catch (error) {
    return; // Storage disabled (private mode, policy): the forms still post as usual.
  }

  function read(key) {
    try {
      return JSON.parse(storage.getItem(PREFIX + key)) || {};
    } catch (error) {
      return {};
    }
  }

  function write(key, values) {
    try {
      if (Object.keys(values).length) storage.setItem(PREFIX + key, JSON.stringify(values));
      else storage.removeItem(PREFIX + key);
    } catch (error) {
      // Storage full or refused: nothing to keep, the form still works.
    }
  }

  function restore(form, key) {
    var kept = read(key);
    var restored = false;
    Array.prototype.forEach.call(form.querySelectorAll(TYPED), function (field) {
      if (field.name && kept[field.name] && !field.value) {
        field.value = kept[field.name];
        restored = true;
      }
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "notice";
      note.setAttribute("role", "status");
      note.textContent = "Text you typed earlier was not saved yet; it is back in the form. Save to keep it.";
      form.insertBefore(note, form.firstChild);
    }
  }

  function keep(form, key) {
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.name || !field.matches(TYPED)) return;
      var values = read(key);
      if (field.value) values[field.name] = field.value;
      else delete values[field.name];
      write(key, values);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (marker) {
    storage.removeItem(PREFIX + marker.getAttribute("data-draft-saved"));
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), function (form) {
    var key = form.getAttribute("data-draft-key");
    restore(form, key);
    keep(form, key);
  });
})();
