/* Progressive enhancement of the application form (the form works without it):
   - show only the fields that apply (child, pick-up or post);
   - keep the city and district lists to the chosen province and city;
   - a submit button marked data-once cannot be pressed twice (the server is idempotent anyway). */
(function () {
  "use strict";

  function toggle(id, show) {
    var el = document.getElementById(id);
    if (el) { el.hidden = !show; }
  }

  function radioValue(name) {
    var checked = document.querySelector('input[type=radio][name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }

  function wireRadios(name, update) {
    var radios = document.querySelectorAll('input[type=radio][name="' + name + '"]');
    if (!radios.length) { return; }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  wireRadios("applying_for", function () { toggle("child-fields", radioValue("applying_for") === "child"); });
  wireRadios("delivery", function () {
    var v = radioValue("delivery");
    toggle("pickup-fields", v !== "post");
    toggle("post-fields", v !== "pickup");
  });

  /* Region lists: filter options by code prefix. All options stay in the page for the no-JS case. */
  function wireAddress(prefix) {
    var province = document.querySelector('select[data-region="' + prefix + '"][data-level="province"]');
    var city = document.querySelector('select[data-region="' + prefix + '"][data-level="city"]');
    var district = document.querySelector('select[data-region="' + prefix + '"][data-level="district"]');
    if (!province || !city) { return; }
    var cityAll = city.innerHTML;
    var districtAll = district ? district.innerHTML : "";

    function filter(select, all, prefixValue, length) {
      var keep = select.value;
      select.innerHTML = all;
      Array.prototype.slice.call(select.querySelectorAll("option")).forEach(function (opt) {
        if (opt.value && opt.value.substring(0, length) !== prefixValue) { opt.remove(); }
      });
      Array.prototype.slice.call(select.querySelectorAll("optgroup")).forEach(function (group) {
        if (!group.querySelector("option")) { group.remove(); }
      });
      select.value = keep;
      if (select.value !== keep) { select.value = ""; }
    }

    function update() {
      var p = province.value ? province.value.substring(0, 2) : "";
      filter(city, cityAll, p, 2);
      if (district) {
        var c = city.value ? city.value.substring(0, 4) : "none";
        filter(district, districtAll, c, 4);
        district.closest(".field").hidden = !(p === "42");
      }
    }
    province.addEventListener("change", update);
    city.addEventListener("change", update);
    update();
  }
  ["res", "post", "p-res", "d-post"].forEach(wireAddress);

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.hasAttribute("data-once")) {
        if (button.dataset.sent) { event.preventDefault(); return; }
        button.dataset.sent = "1";
        button.setAttribute("aria-disabled", "true");
      }
    });
  });
})();
