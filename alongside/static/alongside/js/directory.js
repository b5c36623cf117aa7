// The meeting directory's small helpers; the search works without them.
// - Sends the browser's time zone, so "tonight" means tonight where the person is.
// - "Use my location": asks the browser for the position once, rounds it to about a kilometre,
//   and searches near it. The position is only put in this search's address, never stored.
(function () {
  "use strict";
  const form = document.querySelector("[data-directory-form]");
  if (!form) return;
  const zone = form.querySelector("input[name=tz]");
  if (zone && !zone.value) {
    try {
      zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      zone.value = "";
    }
  }
  const wrapper = form.querySelector("[data-locate-wrapper]");
  const button = form.querySelector("[data-locate]");
  const status = form.querySelector("[data-locate-status]");
  if (!wrapper || !button || !("geolocation" in navigator)) return;
  wrapper.hidden = false;
  const round = (value) => (Math.round(value * 100) / 100).toFixed(2);
  button.addEventListener("click", () => {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.querySelector("input[name=lat]").value = round(position.coords.latitude);
        form.querySelector("input[name=lng]").value = round(position.coords.longitude);
        form.querySelector("input[name=zip]").value = "";
        form.submit();
      },
      () => {
        status.textContent = button.dataset.refused || "";
      },
      { maximumAge: 600000, timeout: 15000 },
    );
  });
})();
