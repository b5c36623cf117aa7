/*
 * Check-ins: keep a draft of the check-in form in this browser until the server has it.
 *
 * Every change is written to localStorage, with the form's idempotency key. When the page comes
 * back (after a session expiry and signing in again, or after being offline) a draft the server
 * has not saved is filled in again, key included, so sending it twice still makes one check-in.
 * The page names the key that last saved today's check-in (data-saved-key): a draft with that
 * key is done and is removed. Drafts older than a day are dropped. Without this file the form
 * works as a plain form.
 */
(function () {
  "use strict";

  var MAX_AGE_MS = 24 * 60 * 60 * 1000;

  function keepDraft(form) {
    var name = form.getAttribute("data-draft-name");
    var savedKey = form.getAttribute("data-saved-key");
    var status = document.querySelector("[data-draft-status]");
    var storage;
    try {
      storage = window.localStorage;
    } catch (error) {
      return; // storage blocked by the browser's settings: the form still works
    }
    if (!name || !storage) {
      return;
    }

    function read() {
      try {
        return JSON.parse(storage.getItem(name) || "null");
      } catch (error) {
        return null;
      }
    }

    function write() {
      var fields = {};
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!element.name || element.name === "csrfmiddlewaretoken") {
          return;
        }
        if (element.type === "radio" || element.type === "checkbox") {
          if (element.checked) {
            fields[element.name] = element.value;
          }
        } else if (element.tagName !== "BUTTON") {
          fields[element.name] = element.value;
        }
      });
      try {
        storage.setItem(name, JSON.stringify({ savedAt: Date.now(), fields: fields }));
      } catch (error) {
        // Storage full or blocked: nothing to keep, the form still sends.
      }
    }

    function remove() {
      try {
        storage.removeItem(name);
      } catch (error) {
        // Nothing to do.
      }
    }

    function fillIn(fields) {
      Object.keys(fields).forEach(function (fieldName) {
        var value = fields[fieldName];
        var elements = form.querySelectorAll('[name="' + fieldName.replace(/"/g, "") + '"]');
        Array.prototype.forEach.call(elements, function (element) {
          if (element.type === "radio" || element.type === "checkbox") {
            element.checked = element.value === value;
          } else {
            element.value = value;
          }
        });
      });
    }

    var draft = read();
    if (draft && draft.fields) {
      var tooOld = !draft.savedAt || Date.now() - draft.savedAt > MAX_AGE_MS;
      var alreadySaved = savedKey && draft.fields.idempotency_key === savedKey;
      // A page showing errors holds what was just sent; it is newer than any draft.
      var showingErrors = form.querySelector(".errorlist") !== null;
      if (tooOld || alreadySaved) {
        remove();
      } else if (!showingErrors) {
        fillIn(draft.fields);
        if (status) {
          status.hidden = false;
        }
      }
    }
    form.addEventListener("input", write);
    form.addEventListener("change", write);
    form.addEventListener("submit", write);
  }

  function start() {
    var forms = document.querySelectorAll("[data-checkin-form]");
    Array.prototype.forEach.call(forms, keepDraft);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
