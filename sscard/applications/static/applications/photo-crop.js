/* Crop a photo to the card's 358×441 frame in the page. The chosen box (in the picture's own pixels) goes
   into the hidden fields crop_x/crop_y/crop_w/crop_h; the server crops and scales. Without JavaScript the
   fields stay empty and the server crops in the centre. Positions are set through CSSOM (CSP-safe). */
(function () {
  "use strict";
  var form = document.getElementById("photo-form");
  var input = form && form.querySelector('input[type=file]');
  var cropper = document.getElementById("cropper");
  var frame = document.getElementById("crop-frame");
  var img = document.getElementById("crop-image");
  var zoomInput = document.getElementById("crop-zoom");
  if (!form || !input || !cropper || !frame || !img || !zoomInput) { return; }

  function hidden(name) { return form.querySelector('input[type=hidden][name$="crop_' + name + '"]'); }
  var fields = { x: hidden("x"), y: hidden("y"), w: hidden("w"), h: hidden("h") };
  var state = { natW: 0, natH: 0, base: 1, zoom: 1, ox: 0, oy: 0, url: null };

  function frameSize() { return { w: frame.clientWidth, h: frame.clientHeight }; }

  function clamp() {
    var f = frameSize();
    var s = state.base * state.zoom;
    var w = state.natW * s, h = state.natH * s;
    state.ox = Math.min(0, Math.max(f.w - w, state.ox));
    state.oy = Math.min(0, Math.max(f.h - h, state.oy));
  }

  function render() {
    clamp();
    var s = state.base * state.zoom;
    img.style.width = state.natW + "px";
    img.style.height = state.natH + "px";
    img.style.transform = "translate(" + state.ox + "px," + state.oy + "px) scale(" + s + ")";
    var f = frameSize();
    var x = Math.max(0, Math.floor(-state.ox / s));
    var y = Math.max(0, Math.floor(-state.oy / s));
    var w = Math.min(state.natW - x, Math.round(f.w / s));
    var h = Math.min(state.natH - y, Math.round(f.h / s));
    fields.x.value = x; fields.y.value = y; fields.w.value = w; fields.h.value = h;
  }

  function clear() {
    fields.x.value = fields.y.value = fields.w.value = fields.h.value = "";
  }

  function zoomAround(newZoom, cx, cy) {
    var s0 = state.base * state.zoom;
    state.zoom = Math.min(4, Math.max(1, newZoom));
    var s1 = state.base * state.zoom;
    state.ox = cx - (cx - state.ox) * (s1 / s0);
    state.oy = cy - (cy - state.oy) * (s1 / s0);
    zoomInput.value = state.zoom;
    render();
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (state.url) { URL.revokeObjectURL(state.url); state.url = null; }
    if (!file || !/^image\/(jpeg|png)$/.test(file.type)) { cropper.hidden = true; clear(); return; }
    state.url = URL.createObjectURL(file);
    img.onload = function () {
      cropper.hidden = false;
      state.natW = img.naturalWidth; state.natH = img.naturalHeight;
      var f = frameSize();
      state.base = Math.max(f.w / state.natW, f.h / state.natH);
      state.zoom = 1; zoomInput.value = 1;
      state.ox = (f.w - state.natW * state.base) / 2;
      state.oy = (f.h - state.natH * state.base) / 2;
      render();
    };
    img.onerror = function () { cropper.hidden = true; clear(); };
    img.src = state.url;
  });

  zoomInput.addEventListener("input", function () {
    var f = frameSize();
    zoomAround(parseFloat(zoomInput.value) || 1, f.w / 2, f.h / 2);
  });

  var drag = null;
  frame.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, y: e.clientY, ox: state.ox, oy: state.oy };
    frame.setPointerCapture(e.pointerId);
    frame.classList.add("dragging");
  });
  frame.addEventListener("pointermove", function (e) {
    if (!drag) { return; }
    state.ox = drag.ox + (e.clientX - drag.x);
    state.oy = drag.oy + (e.clientY - drag.y);
    render();
  });
  function endDrag() { drag = null; frame.classList.remove("dragging"); }
  frame.addEventListener("pointerup", endDrag);
  frame.addEventListener("pointercancel", endDrag);
  frame.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = frame.getBoundingClientRect();
    zoomAround(state.zoom * (e.deltaY < 0 ? 1.08 : 1 / 1.08), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  frame.addEventListener("keydown", function (e) {
    var step = e.shiftKey ? 20 : 5, f = frameSize();
    var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) {
      state.ox += moves[e.key][0]; state.oy += moves[e.key][1]; render(); e.preventDefault();
    } else if (e.key === "+" || e.key === "=") {
      zoomAround(state.zoom * 1.1, f.w / 2, f.h / 2); e.preventDefault();
    } else if (e.key === "-") {
      zoomAround(state.zoom / 1.1, f.w / 2, f.h / 2); e.preventDefault();
    }
  });
})();
