// Keeps what was typed into a form marked data-draft-key in this browser until the server
// confirms the save, so a lost connection or a closed tab loses nothing.
// - While typing: each text field's value is kept under the form's key, with the time ("@at").
// - On load: a page confirming a save carries data-draft-saved="<key>"; that copy is forgotten.
//   Otherwise, a form showing the same key gets the kept text back into fields that are empty.
// What is never kept, or not for long, since the browser may be shared:
// - A copy older than a day is dropped on every page load.
// - Every copy is dropped by a page marked data-drafts-clear (the sign-in page, where a signed-out
//   or expired session lands) and when a form marked data-drafts-clear-on-submit (sign-out) is sent.
// - The reporter's identity: fields named reporter_*, fields inside an element marked
//   data-draft-exclude, and a whole form while one of its choices names a reporter field
//   (an amendment of the reporter's name).
// Loaded by every page (base.html) and again by the pages with drafts: it runs once.
// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";

  if (window.kindredDrafts) return;
  window.kindredDrafts = true;

  var PREFIX = "kindred:draft:";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var AT = "@at"; // When the copy was last written, in milliseconds since 1970.
  var REPORTER = /^reporter_/;
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

  function draftKeys() {
    var keys = [];
    for (var index = 0; index < storage.length; index += 1) {
      var key = storage.key(index);
      if (key && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }

  function clearAll() {
    draftKeys().forEach(function (key) {
      storage.removeItem(key);
    });
  }

  function parse(raw) {
    try {
      return JSON.parse(raw) || {};
    } catch (error) {
      return {};
    }
  }

  function tooOld(kept) {
    return typeof kept[AT] === "number" && Date.now() - kept[AT] > MAX_AGE_MS;
  }

  // On load, a copy without its time also goes: it was kept before copies had one, or holds only
  // contact.js's choices, which are put back only with typed text.
  function dropExpired() {
    draftKeys().forEach(function (key) {
      var kept = parse(storage.getItem(key));
      if (typeof kept[AT] !== "number" || tooOld(kept)) storage.removeItem(key);
    });
  }

  // The copy's fields by name; names starting with "@" are not fields (its time, contact.js's choices).
  function read(key) {
    var kept = parse(storage.getItem(PREFIX + key));
    return tooOld(kept) ? {} : kept;
  }

  // A copy with no typed text left is removed, whatever else it holds.
  function write(key, values) {
    var fields = Object.keys(values).filter(function (name) {
      return name.charAt(0) !== "@";
    });
    try {
      if (fields.length) {
        values[AT] = Date.now();
        storage.setItem(PREFIX + key, JSON.stringify(values));
      } else {
        storage.removeItem(PREFIX + key);
      }
    } catch (error) {
      // Storage full or refused: nothing to keep, the form still works.
    }
  }

  function excluded(field) {
    return REPORTER.test(field.name) || Boolean(field.closest("[data-draft-exclude]"));
  }

  function aboutReporter(form) {
    return Array.prototype.some.call(form.querySelectorAll("select"), function (choice) {
      return REPORTER.test(choice.value);
    });
  }

  function restore(form, key) {
    if (aboutReporter(form)) {
      write(key, {});
      return;
    }
    var kept = read(key);
    var restored = false;
    Array.prototype.forEach.call(form.querySelectorAll(TYPED), function (field) {
      if (field.name && !excluded(field) && kept[field.name] && !field.value) {
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
    function update(event) {
      if (aboutReporter(form)) {
        write(key, {});
        return;
      }
      var field = event.target;
      if (!field.name || !field.matches(TYPED) || excluded(field)) return;
      var values = read(key);
      if (field.value) values[field.name] = field.value;
      else delete values[field.name];
      write(key, values);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  }

  dropExpired();
  if (document.querySelector("[data-drafts-clear]")) clearAll();
  Array.prototype.forEach.call(document.querySelectorAll("form[data-drafts-clear-on-submit]"), function (form) {
    form.addEventListener("submit", clearAll);
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-draft-saved]"), function (marker) {
    storage.removeItem(PREFIX + marker.getAttribute("data-draft-saved"));
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), function (form) {
    var key = form.getAttribute("data-draft-key");
    restore(form, key);
    keep(form, key);
  });
})();
