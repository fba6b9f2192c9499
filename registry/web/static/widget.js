/* normreg search widget: <normreg-search api="https://…" query="" placeholder="" status="in_force">
   No dependencies. Data is only ever inserted with textContent; snippets are parsed into text and <mark>
   elements, never through innerHTML. */
(function () {
  "use strict";
  if (!window.customElements || customElements.get("normreg-search")) return;
  var script = document.currentScript;
  var ORIGIN = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var LABELS = {
    zh: { in_force: "有效", not_yet_effective: "尚未生效", amended: "已修改", partially_invalid: "部分失效",
          invalid: "失效", repealed: "已废止", unknown: "无法确定", results: "条结果", about: "约", none: "没有找到相关文件",
          more: "查看全部结果", error: "检索暂不可用", label: "检索规范性文件", ph: "输入标题、文号或问题" },
    en: { in_force: "in force", not_yet_effective: "not yet effective", amended: "amended",
          partially_invalid: "partially invalid", invalid: "invalid", repealed: "repealed", unknown: "unknown",
          results: "results", about: "about", none: "Nothing found", more: "All results", error: "Search is unavailable",
          label: "Search normative documents", ph: "Title, document number or a question" }
  };
  var ENT = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#x27;": "'", "&#39;": "'", "&#34;": "\"" };
  var CSS = ":host{display:block;position:relative;font:15px/1.5 system-ui,\"PingFang SC\",\"Microsoft YaHei\",sans-serif;color:#1f2328}" +
    "input{box-sizing:border-box;width:100%;padding:.55em .7em;font:inherit;border:1px solid #8c959f;border-radius:4px}" +
    "input:focus{outline:2px solid #0969da;outline-offset:1px}" +
    "ul{list-style:none;margin:.25em 0 0;padding:0;border:1px solid #d0d7de;border-radius:4px;background:#fff;max-height:26em;overflow:auto;box-shadow:0 4px 12px rgba(0,0,0,.12)}" +
    "ul[hidden]{display:none}li{padding:.45em .7em;border-bottom:1px solid #eaeef2;cursor:pointer}" +
    "li[aria-selected=true]{background:#ddf4ff}li a{color:#0a3069;text-decoration:none;font-weight:600}" +
    ".b{display:inline-block;font-size:.75em;padding:0 .4em;margin-right:.4em;border-radius:3px;border:1px solid;white-space:nowrap}" +
    ".in_force{color:#116329;background:#dafbe1}.not_yet_effective{color:#0550ae;background:#ddf4ff}" +
    ".amended,.partially_invalid{color:#7d4e00;background:#fff8c5}.invalid,.repealed{color:#a40e26;background:#ffebe9}" +
    ".unknown{color:#57606a;background:#f6f8fa}.m{display:block;color:#57606a;font-size:.85em}" +
    ".s{display:block;font-size:.88em;color:#24292f}mark{background:#fff3b0;color:inherit}" +
    ".st{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}li.x{cursor:default;color:#57606a}";
  var seq = 0;

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = text;
    return n;
  }
  // A listbox may hold only options: a message row is a disabled option, so screen readers read it in place.
  function note(text) { var n = el("li", "x", text); n.setAttribute("role", "option"); n.setAttribute("aria-disabled", "true"); return n; }
  function unescape(s) { return s.replace(/&(amp|lt|gt|quot|#x27|#39|#34);/g, function (m) { return ENT[m]; }); }
  function snippet(text) { /* escaped text with <mark> -> DOM fragment of text nodes and <mark> elements */
    var frag = document.createDocumentFragment(), parts = String(text).split(/(<\/?mark>)/), mark = null;
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (p === "<mark>") { if (!mark) { mark = el("mark"); frag.appendChild(mark); } }
      else if (p === "</mark>") { mark = null; }
      else if (p) { (mark || frag).appendChild(document.createTextNode(unescape(p))); }
    }
    return frag;
  }
  function safeApi(value) {
    try {
      var u = new URL(value || ORIGIN, location.href);
      if (u.protocol === "http:" || u.protocol === "https:") return u.href.replace(/\/+$/, "");
    } catch (e) { /* fall through */ }
    return ORIGIN;
  }

  class NormregSearch extends HTMLElement {
    static get observedAttributes() { return ["placeholder", "query"]; }
    constructor() {
      super();
      var id = "nr" + (++seq), root = this.attachShadow({ mode: "open" });
      if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
        var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); root.adoptedStyleSheets = [sheet];
      } else { root.appendChild(el("style", null, CSS)); }
      this._input = el("input");
      this._list = el("ul");
      this._status = el("div", "st");
      var inp = this._input, list = this._list;
      inp.type = "search"; inp.autocomplete = "off"; inp.spellcheck = false;
      inp.setAttribute("role", "combobox"); inp.setAttribute("aria-autocomplete", "list");
      inp.setAttribute("aria-expanded", "false"); inp.setAttribute("aria-controls", id + "-list");
      list.id = id + "-list"; list.setAttribute("role", "listbox"); list.hidden = true;
      this._status.setAttribute("role", "status"); this._status.setAttribute("aria-live", "polite");
      this._id = id; this._items = []; this._active = -1; this._timer = 0; this._ctrl = null;
      root.appendChild(inp); root.appendChild(list); root.appendChild(this._status);
      var self = this;
      inp.addEventListener("input", function () { self._schedule(); });
      inp.addEventListener("keydown", function (e) { self._key(e); });
      inp.addEventListener("focus", function () { if (self._items.length) self._open(true); });
      this.addEventListener("focusout", function (e) {
        if (!self.shadowRoot.contains(e.relatedTarget)) setTimeout(function () { self._open(false); }, 150);
      });
    }
    get _lang() { return this.getAttribute("lang") === "en" ? "en" : "zh"; }
    get _api() { return safeApi(this.getAttribute("api")); }
    connectedCallback() {
      var L = LABELS[this._lang];
      this._input.placeholder = this.getAttribute("placeholder") || L.ph;
      this._input.setAttribute("aria-label", this.getAttribute("placeholder") || L.label);
      var q = this.getAttribute("query");
      if (q && !this._input.value) { this._input.value = q; this._search(q); }
    }
    attributeChangedCallback(name, old, value) {
      if (name === "placeholder") this._input.placeholder = value || LABELS[this._lang].ph;
      if (name === "query" && this.isConnected && value !== old && value) { this._input.value = value; this._search(value); }
    }
    _schedule() {
      var self = this; clearTimeout(this._timer);
      this._timer = setTimeout(function () { self._search(self._input.value); }, 220);
    }
    _search(q) {
      q = q.trim();
      if (this._ctrl) this._ctrl.abort();
      if (q.length < 1) { this._render(null, q); return; }
      var params = new URLSearchParams({ q: q, per_page: String(Math.min(20, parseInt(this.getAttribute("limit"), 10) || 8)) });
      ["status", "issuer", "category", "year"].forEach(function (f) {
        var v = this.getAttribute(f);
        if (v) v.split(",").forEach(function (x) { if (x.trim()) params.append(f, x.trim()); });
      }, this);
      var self = this, ctrl = window.AbortController ? new AbortController() : null;
      this._ctrl = ctrl;
      fetch(this._api + "/api/v1/search?" + params, { signal: ctrl ? ctrl.signal : undefined, credentials: "omit" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (data) { if (self._ctrl === ctrl) self._render(data, q); })
        .catch(function (e) { if (!e || e.name !== "AbortError") self._render({ error: true }, q); });
    }
    _render(data, q) {
      var L = LABELS[this._lang], list = this._list, api = this._api, lang = this._lang, self = this;
      while (list.firstChild) list.removeChild(list.firstChild);
      this._items = []; this._active = -1; this._input.removeAttribute("aria-activedescendant");
      if (!data) { this._open(false); this._status.textContent = ""; return; }
      if (data.error || !data.hits) {
        list.appendChild(note(L.error)); this._status.textContent = L.error; this._open(true); return;
      }
      var suffix = lang === "en" ? "?lang=en" : "";
      /* an estimated total (a very broad search counted on a sample) reads 约 N / about N */
      var count = (data.total_estimated ? L.about + " " : "") + data.total;
      data.hits.forEach(function (h, i) {
        var li = el("li"), a = el("a", null, h.title), status = String(h.status || "unknown");
        li.id = self._id + "-o" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        a.href = api + "/documents/" + encodeURIComponent(h.id) + suffix; a.tabIndex = -1;
        li.appendChild(el("span", "b " + status.replace(/[^a-z_]/g, ""), (LABELS[lang][status] || h.label || status)));
        li.appendChild(a);
        var meta = [h.doc_number, h.issuer, h.publication_date].filter(Boolean).join(" · ");
        if (meta) li.appendChild(el("span", "m", meta));
        if (h.snippet) { var s = el("span", "s"); if (h.article) s.appendChild(document.createTextNode(h.article + " ")); s.appendChild(snippet(h.snippet)); li.appendChild(s); }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function (e) { if (e.target !== a) { location.href = a.href; } });
        list.appendChild(li); self._items.push({ li: li, a: a });
      });
      if (!data.hits.length) list.appendChild(note(L.none));
      else if (data.total > data.hits.length) {
        var more = el("li", "x"), ma = el("a", null, L.more + " (" + count + ")");
        more.setAttribute("role", "option"); more.setAttribute("aria-selected", "false");
        ma.href = api + "/?" + new URLSearchParams(lang === "en" ? { q: q, lang: "en" } : { q: q });
        more.appendChild(ma); list.appendChild(more);
      }
      this._status.textContent = count + " " + L.results;
      this._open(true);
    }
    _open(on) {
      this._list.hidden = !on || !this._list.firstChild;
      this._input.setAttribute("aria-expanded", this._list.hidden ? "false" : "true");
    }
    _move(to) {
      var n = this._items.length; if (!n) return;
      if (this._active >= 0) this._items[this._active].li.setAttribute("aria-selected", "false");
      this._active = (to + n) % n;
      var item = this._items[this._active];
      item.li.setAttribute("aria-selected", "true");
      this._input.setAttribute("aria-activedescendant", item.li.id);
      if (item.li.scrollIntoView) item.li.scrollIntoView({ block: "nearest" });
    }
    _key(e) {
      if (e.key === "ArrowDown") { e.preventDefault(); this._open(true); this._move(this._active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); this._move(this._active - 1); }
      else if (e.key === "Home" && this._active >= 0) { e.preventDefault(); this._move(0); }
      else if (e.key === "End" && this._active >= 0) { e.preventDefault(); this._move(this._items.length - 1); }
      else if (e.key === "Escape") { if (!this._list.hidden) { e.preventDefault(); this._open(false); } else { this._input.value = ""; this._render(null, ""); } }
      else if (e.key === "Enter") {
        e.preventDefault();
        if (this._active >= 0) location.href = this._items[this._active].a.href;
        else if (this._input.value.trim()) location.href = this._api + "/?" + new URLSearchParams({ q: this._input.value.trim() });
      }
    }
  }
  customElements.define("normreg-search", NormregSearch);
})();
