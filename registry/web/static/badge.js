/* normreg status badge: <normreg-status ref="文号 or id" api="https://…" lang="en" refresh="300">
   Shows a document's live validity in one line, linked to its registry page. Same family as widget.js:
   no dependencies, text only ever set with textContent, the API origin taken from this script's URL. */
(function () {
  "use strict";
  if (!window.customElements || customElements.get("normreg-status")) return;
  var script = document.currentScript;
  var ORIGIN = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var T = {
    zh: { see: "见", until: "有效期至", error: "无法查询时效", loading: "正在查询时效…", title: "时效性（规范性文件库）" },
    en: { see: "see", until: "valid until", error: "Status unavailable", loading: "Checking status…",
          title: "Validity (normative documents registry)" }
  };
  var CSS = ":host{display:inline;font:inherit}a{color:inherit;text-decoration:none}" +
    "a:hover .t,a:focus .t{text-decoration:underline}a:focus{outline:2px solid #0969da;outline-offset:1px}" +
    ".b{display:inline-block;font-size:.85em;padding:0 .45em;margin-right:.35em;border-radius:3px;border:1px solid;white-space:nowrap}" +
    ".in_force{color:#116329;background:#dafbe1}.not_yet_effective{color:#0550ae;background:#ddf4ff}" +
    ".amended,.partially_invalid{color:#7d4e00;background:#fff8c5}.invalid,.repealed{color:#a40e26;background:#ffebe9}" +
    ".unknown,.x{color:#57606a;background:#f6f8fa}";

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }
  function safeApi(value) {
    try {
      var u = new URL(value || ORIGIN, location.href);
      if (u.protocol === "http:" || u.protocol === "https:") return u.href.replace(/\/+$/, "");
    } catch (e) { /* fall through */ }
    return ORIGIN;
  }
  function fmtDate(iso, en) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || en) return iso || "";
    return m[1] + "年" + (+m[2]) + "月" + (+m[3]) + "日";
  }
  function line(a, en) { /* 有效 / 有效期至 … / 已废止 → 见《…》 */
    var t = T[en ? "en" : "zh"], doc = a.document || {}, s = a.successor;
    if (s && (a.status === "repealed" || a.status === "amended"))
      return "→ " + t.see + (en ? " “" + s.title + "”" : "《" + s.title + "》");
    if (a.status === "in_force" && doc.expiry_date) return t.until + " " + fmtDate(doc.expiry_date, en);
    return "";
  }

  class NormregStatus extends HTMLElement {
    static get observedAttributes() { return ["ref", "api", "lang"]; }
    constructor() {
      super();
      var root = this.attachShadow({ mode: "open" });
      root.appendChild(el("style", null, CSS));
      this._box = el("span");
      this._box.setAttribute("role", "status");
      root.appendChild(this._box);
      this._timer = 0; this._ctrl = null; this._seen = null;
      var self = this;
      this._onVisible = function () { if (document.visibilityState === "visible") self._load(); };
    }
    connectedCallback() {
      document.addEventListener("visibilitychange", this._onVisible);
      this._load();
    }
    disconnectedCallback() {
      document.removeEventListener("visibilitychange", this._onVisible);
      clearTimeout(this._timer);
      if (this._ctrl) this._ctrl.abort();
    }
    attributeChangedCallback() { if (this.isConnected) this._load(); }
    get _en() { return (this.getAttribute("lang") || "").toLowerCase().indexOf("en") === 0; }
    _schedule() {
      var s = parseFloat(this.getAttribute("refresh"));
      var secs = isFinite(s) ? Math.max(2, s) : 300, self = this;
      clearTimeout(this._timer);
      this._timer = setTimeout(function () { self._load(); }, secs * 1000);
    }
    _load() {
      var ref = (this.getAttribute("ref") || "").trim(), self = this, api = safeApi(this.getAttribute("api"));
      if (!ref) return;
      if (this._ctrl) this._ctrl.abort();
      var ctrl = this._ctrl = window.AbortController ? new AbortController() : null;
      if (!this._seen) this._show(null, T[this._en ? "en" : "zh"].loading);
      fetch(api + "/api/v1/validity?ref=" + encodeURIComponent(ref), { signal: ctrl && ctrl.signal, credentials: "omit" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (a) { self._seen = a; self._show(a, null, api); })
        .catch(function (e) { if (!e || e.name !== "AbortError") self._show(null, T[self._en ? "en" : "zh"].error); })
        .then(function () { self._schedule(); });
    }
    _show(a, message, api) {
      var box = this._box, en = this._en;
      box.textContent = "";
      if (!a) { box.appendChild(el("span", "b x", message)); return; }
      var link = el("a");
      link.href = api + "/documents/" + encodeURIComponent(a.document.id) + (en ? "?lang=en" : "");
      link.title = T[en ? "en" : "zh"].title + (en ? ": " : "：") + (a.document.title || "");
      link.setAttribute("data-status", a.status);
      link.appendChild(el("span", "b " + String(a.status).replace(/[^a-z_]/g, ""), en ? a.label_en : a.label));
      var rest = line(a, en);
      if (rest) link.appendChild(el("span", "t", rest));
      box.appendChild(link);
    }
  }
  customElements.define("normreg-status", NormregStatus);
})();
