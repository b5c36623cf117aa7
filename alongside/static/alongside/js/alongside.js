/*
 * Alongside: small hand-written enhancements, loaded with `defer` on every page.
 * No inline scripts anywhere (strict CSP); every page also works without this file.
 */
(function () {
  "use strict";

  /*
   * The unread badge in the header (#unread-count, notifications/_badge.html) stays current while
   * the page is open. The server pushes {"unread": n} over a websocket; when n differs from the
   * badge, the badge fragment is fetched again so its text and screen-reader text come from the
   * one server template, translated. While the socket is down the badge is polled every minute,
   * and the socket is retried with exponential backoff.
   */
  function keepUnreadBadgeLive() {
    var POLL_INTERVAL_MS = 60 * 1000;
    var MAX_RECONNECT_DELAY_MS = 5 * 60 * 1000;
    var socket = null;
    var failures = 0;
    var pollTimer = null;
    var reconnectTimer = null;
    var leaving = false;

    function badge() {
      return document.getElementById("unread-count");
    }

    if (!badge()) {
      return;
    }

    function refreshBadge() {
      var current = badge();
      if (!current || !current.dataset.unreadUrl) {
        return;
      }
      fetch(current.dataset.unreadUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" }
      })
        .then(function (response) {
          // A redirect means the session ended (to the sign-in page): leave the badge alone.
          if (!response.ok || response.redirected) {
            throw new Error("unread count unavailable");
          }
          return response.text();
        })
        .then(function (html) {
          var template = document.createElement("template");
          template.innerHTML = html.trim();
          var fresh = template.content.getElementById("unread-count");
          var stale = badge();
          if (fresh && stale) {
            stale.replaceWith(fresh);
          }
        })
        .catch(function () {
          // Offline or signed out: the last known count stays until the next try.
        });
    }

    function showCount(count) {
      var current = badge();
      if (current && String(count) !== current.dataset.count) {
        refreshBadge();
      }
    }

    function startPolling() {
      if (pollTimer === null) {
        pollTimer = window.setInterval(refreshBadge, POLL_INTERVAL_MS);
      }
    }

    function stopPolling() {
      if (pollTimer !== null) {
        window.clearInterval(pollTimer);
        pollTimer = null;
      }
    }

    function scheduleReconnect() {
      if (leaving || reconnectTimer !== null) {
        return;
      }
      var delay = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * Math.pow(2, failures));
      failures += 1;
      // Jitter keeps every open tab from reconnecting at the same moment after a restart.
      reconnectTimer = window.setTimeout(connect, delay + Math.random() * 1000);
    }

    function connect() {
      reconnectTimer = null;
      if (socket) {
        return;
      }
      var current = badge();
      var path = current && current.dataset.socketPath;
      if (!path || !("WebSocket" in window)) {
        startPolling();
        return;
      }
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      try {
        socket = new WebSocket(scheme + window.location.host + path);
      } catch (error) {
        startPolling();
        scheduleReconnect();
        return;
      }
      socket.addEventListener("open", function () {
        failures = 0;
        stopPolling();
      });
      socket.addEventListener("message", function (event) {
        var data;
        try {
          data = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (data && typeof data.unread === "number") {
          showCount(data.unread);
        }
      });
      socket.addEventListener("close", function () {
        socket = null;
        if (!leaving) {
          startPolling();
          scheduleReconnect();
        }
      });
    }

    window.addEventListener("pagehide", function () {
      leaving = true;
      if (socket) {
        socket.close();
      }
    });
    window.addEventListener("pageshow", function (event) {
      // Back from the browser's page cache: the socket was closed, the count may be old.
      if (event.persisted) {
        leaving = false;
        failures = 0;
        if (reconnectTimer !== null) {
          window.clearTimeout(reconnectTimer);
        }
        refreshBadge();
        connect();
      }
    });

    connect();
  }

  /*
   * Check-in drafts (checkins.js keeps them in localStorage, under the prefix the check-in page
   * names in data-draft-name) must not be left for the next person on a shared device: signing
   * out through a form marked data-clears-drafts removes every one of them, and on any page a
   * draft older than two days is dropped even if the check-in page is never opened again.
   * A draft survives a session that merely expired, so what was typed can still be sent.
   */
  function forgetCheckInDrafts() {
    var PREFIX = "alongside.checkin.";
    var MAX_AGE_MS = 2 * 24 * 60 * 60 * 1000;
    var storage;
    try {
      storage = window.localStorage;
    } catch (error) {
      return; // storage blocked by the browser's settings: nothing was kept
    }
    if (!storage) {
      return;
    }

    function draftKeys() {
      var keys = [];
      for (var index = 0; index < storage.length; index += 1) {
        var key = storage.key(index);
        if (key && key.indexOf(PREFIX) === 0) {
          keys.push(key);
        }
      }
      return keys;
    }

    function isOld(key) {
      var draft;
      try {
        draft = JSON.parse(storage.getItem(key) || "null");
      } catch (error) {
        return true;
      }
      return !draft || !draft.savedAt || Date.now() - draft.savedAt > MAX_AGE_MS;
    }

    function remove(keys) {
      keys.forEach(function (key) {
        try {
          storage.removeItem(key);
        } catch (error) {
          // Nothing more to do.
        }
      });
    }

    remove(draftKeys().filter(isOld));
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form && form.hasAttribute && form.hasAttribute("data-clears-drafts")) {
        remove(draftKeys());
      }
    });
  }

  /*
   * The "Menu" disclosure of the main navigation (base.html) works as a plain <details>; here
   * Escape also closes it and puts focus back on its button, as people expect of a menu.
   */
  function closeMenuOnEscape() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var menu = document.querySelector(".site-nav__menu[open]");
      if (menu && menu.contains(document.activeElement)) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  /*
   * The service worker (core/sw.js) keeps one page: the crisis lines, shown when a page cannot
   * load for want of a network. Its address comes from the layout (data-service-worker).
   */
  function keepCrisisLinesForOffline() {
    var url = document.body && document.body.dataset.serviceWorker;
    if (!url || !("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.register(url).catch(function () {
      // Not offered here (a private window, an old browser): pages work as before.
    });
  }

  keepUnreadBadgeLive();
  forgetCheckInDrafts();
  closeMenuOnEscape();
  keepCrisisLinesForOffline();
})();
