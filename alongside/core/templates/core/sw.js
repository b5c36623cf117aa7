/*
 * Alongside's service worker (served at /sw.js by core.views.service_worker).
 *
 * One job: when a page cannot load because there is no network, show the crisis lines instead
 * of the browser's error page. It keeps the offline page (public: the lines of the site's
 * country, nothing about anyone) and its two style sheets, and answers nothing else; while
 * online every request goes to the network as if it were not here. Version {{ version }}:
 * a change of the offline page changes this file, so browsers take the new one.
 */
"use strict";

var CACHE = "alongside-offline-{{ version }}";
var OFFLINE_URL = "{{ offline_url|escapejs }}";
var KEPT = [OFFLINE_URL{% for url in styles %}, "{{ url|escapejs }}"{% endfor %}];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        // Without cookies: the offline page must never be anyone's own page.
        return cache.addAll(
          KEPT.map(function (url) {
            return new Request(url, { credentials: "omit" });
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("alongside-offline-") === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function kept(url) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(url);
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(function () {
        return kept(OFFLINE_URL);
      })
    );
    return;
  }
  var path = new URL(request.url).pathname;
  if (KEPT.indexOf(path) > 0) {
    // The offline page's style sheets: from the network, from the cache without one.
    event.respondWith(
      fetch(request).catch(function () {
        return kept(path);
      })
    );
  }
});
