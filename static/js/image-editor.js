// Crop and redaction editor: draw and move rectangles on the image; the numeric fields stay
// the source of truth and the server renders the preview, so the page works without this.
(function () {
  "use strict";
  var stage = document.querySelector(".ie-stage");
  if (!stage) return;
  var img = stage.querySelector("img");
  var form = stage.closest("form");
  var natural = { w: +stage.dataset.width, h: +stage.dataset.height };
  var rows = form.querySelector(".ie-rows");
  var total = form.querySelector("input[name=redactions-TOTAL_FORMS]");
  var template = form.querySelector("template.ie-empty-row");
  var help = form.querySelector(".ie-help");
  if (help) help.hidden = false;

  // Tool choice: crop or redaction.
  var tool = document.createElement("div");
  tool.className = "ie-tool";
  ["crop", "redaction"].forEach(function (name, i) {
    var label = document.createElement("label");
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "ie-tool";
    input.value = name;
    input.checked = i === 1;
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + (name === "crop" ? stage.dataset.labelCrop || "Crop" : stage.dataset.labelRedaction || "Redaction") + " "));
    tool.appendChild(label);
  });
  stage.parentNode.insertBefore(tool, stage);
  function currentTool() { return tool.querySelector("input:checked").value; }

  function scale() { return img.clientWidth / natural.w; }
  function num(input) { return input && input.value !== "" ? Math.round(+input.value) : null; }

  function cropInputs() {
    return ["crop_x", "crop_y", "crop_width", "crop_height"].map(function (n) {
      return form.querySelector("[name=" + n + "]");
    });
  }
  function rowInputs(row) {
    return ["x", "y", "width", "height"].map(function (n) {
      return row.querySelector("input[name$='-" + n + "']");
    });
  }
  function read(inputs) {
    var v = inputs.map(num);
    return v.some(function (x) { return x === null; }) ? null : { x: v[0], y: v[1], w: v[2], h: v[3] };
  }
  function write(inputs, r) {
    [r.x, r.y, r.w, r.h].forEach(function (v, i) {
      inputs[i].value = Math.round(v);
      inputs[i].dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  function clamp(r) {
    var x = Math.max(0, Math.min(r.x, natural.w - 1));
    var y = Math.max(0, Math.min(r.y, natural.h - 1));
    return { x: x, y: y, w: Math.max(1, Math.min(r.w, natural.w - x)), h: Math.max(1, Math.min(r.h, natural.h - y)) };
  }

  function targets() {
    var list = [{ kind: "crop", inputs: cropInputs() }];
    rows.querySelectorAll(".ie-row").forEach(function (row) {
      var del = row.querySelector("input[name$='-DELETE']");
      if (del && del.checked) return;
      list.push({ kind: "redaction", inputs: rowInputs(row) });
    });
    return list;
  }

  function render() {
    stage.querySelectorAll(".ie-box").forEach(function (b) { b.remove(); });
    var s = scale();
    targets().forEach(function (t) {
      var r = read(t.inputs);
      if (!r) return;
      var box = document.createElement("div");
      box.className = "ie-box ie-box-" + t.kind;
      box.style.left = r.x * s + "px";
      box.style.top = r.y * s + "px";
      box.style.width = r.w * s + "px";
      box.style.height = r.h * s + "px";
      box.ieTarget = t;
      stage.appendChild(box);
    });
  }

  function emptyRow() {
    var found = null;
    rows.querySelectorAll(".ie-row").forEach(function (row) {
      if (!found && rowInputs(row).every(function (i) { return i.value === ""; })) found = row;
    });
    if (found) return found;
    var index = +total.value;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, index);
    found = holder.querySelector(".ie-row");
    rows.appendChild(found);
    total.value = index + 1;
    return found;
  }

  function point(ev) {
    var rect = img.getBoundingClientRect();
    var s = scale();
    return { x: (ev.clientX - rect.left) / s, y: (ev.clientY - rect.top) / s };
  }

  var drag = null;
  stage.addEventListener("pointerdown", function (ev) {
    ev.preventDefault();
    var p = point(ev);
    if (ev.target.classList.contains("ie-box")) {
      var t = ev.target.ieTarget;
      drag = { mode: "move", target: t, start: p, orig: read(t.inputs) };
    } else {
      drag = { mode: "draw", start: p, box: document.createElement("div") };
      drag.box.className = "ie-box ie-box-" + currentTool();
      stage.appendChild(drag.box);
    }
    stage.setPointerCapture(ev.pointerId);
  });
  stage.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var p = point(ev);
    var s = scale();
    if (drag.mode === "move") {
      var o = drag.orig;
      write(drag.target.inputs, clamp({ x: o.x + p.x - drag.start.x, y: o.y + p.y - drag.start.y, w: o.w, h: o.h }));
      render();
    } else {
      var r = clamp(normalise(drag.start, p));
      drag.box.style.left = r.x * s + "px";
      drag.box.style.top = r.y * s + "px";
      drag.box.style.width = r.w * s + "px";
      drag.box.style.height = r.h * s + "px";
    }
  });
  function normalise(a, b) {
    return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
  }
  stage.addEventListener("pointerup", function (ev) {
    if (!drag) return;
    if (drag.mode === "draw") {
      var r = clamp(normalise(drag.start, point(ev)));
      drag.box.remove();
      if (r.w >= 2 && r.h >= 2) {
        var inputs = currentTool() === "crop" ? cropInputs() : rowInputs(emptyRow());
        write(inputs, r);
      }
    }
    drag = null;
    render();
  });

  form.addEventListener("input", render);
  form.addEventListener("change", render);
  window.addEventListener("resize", render);
  if (img.complete) render(); else img.addEventListener("load", render);
})();
