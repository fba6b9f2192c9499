// Intake uploads with drag and drop and a progress bar per file (progressive enhancement: without this
// script the form posts all chosen files at once and the server answers with a page).
(function () {
  "use strict";
  var form = document.getElementById("intake-upload");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var input = document.getElementById("intake-files");
  var zone = document.getElementById("intake-drop");
  var list = document.getElementById("intake-progress");
  var csrf = form.querySelector("input[name=csrf]").value;
  var en = document.documentElement.lang === "en";
  var words = en ? { done: "read", failed: "failed", review: "Review", sending: "uploading" }
                 : { done: "已读取", failed: "失败", review: "核对", sending: "正在上传" };

  function row(file) {
    var li = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    var state = document.createElement("span");
    state.textContent = words.sending;
    li.appendChild(name); li.appendChild(bar); li.appendChild(state);
    list.appendChild(li);
    return { li: li, bar: bar, state: state };
  }

  function send(file) {
    return new Promise(function (resolve) {
      var r = row(file);
      var data = new FormData();
      data.append("csrf", csrf);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) { r.bar.value = Math.round(90 * e.loaded / e.total); } };
      xhr.onload = function () {
        r.bar.value = 100;
        var item = null;
        try { item = JSON.parse(xhr.responseText).items[0]; } catch (err) { item = null; }
        if (xhr.status === 200 && item && item.state === "pending") {
          r.state.textContent = words.done + " ";
          var a = document.createElement("a");
          a.href = item.url; a.textContent = words.review + "：" + (item.title || item.filename);
          r.state.appendChild(a);
          var none = document.getElementById("intake-none");
          if (none) { none.hidden = true; }
        } else {
          r.li.className = "failed";
          var msg = item && item.error ? item.error : (xhr.status + "");
          try { msg = msg || JSON.parse(xhr.responseText).error.message; } catch (err) { /* keep the status */ }
          r.state.textContent = words.failed + "：" + msg;
        }
        resolve();
      };
      xhr.onerror = function () { r.li.className = "failed"; r.state.textContent = words.failed; resolve(); };
      xhr.send(data);
    });
  }

  function sendAll(files) {
    var chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (f) { chain = chain.then(function () { return send(f); }); });
    return chain;
  }

  form.addEventListener("submit", function (e) {
    if (!input.files || !input.files.length) { return; }
    e.preventDefault();
    sendAll(input.files).then(function () { input.value = ""; });
  });
  ["dragenter", "dragover"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) { if (e.dataTransfer && e.dataTransfer.files.length) { sendAll(e.dataTransfer.files); } });
}());
