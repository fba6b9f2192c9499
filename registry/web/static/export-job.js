// The export job page: asks the job's API for progress every two seconds and updates the bar and the
// status line (a polite live region); once the job is no longer queued or running the page is loaded
// again, so the server shows the download link (or why there is none). Without JavaScript the page's
// "refresh" link does the same by hand.
(function () {
  "use strict";
  var box = document.querySelector(".export-job");
  if (!box) { return; }
  var url = box.getAttribute("data-job-url");
  var bar = box.querySelector("progress");
  var rows = box.querySelector("[data-rows]");
  var template = rows.getAttribute("data-template");
  function tick() {
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (job) {
      if (!job) { return; }
      if (job.state !== "queued" && job.state !== "running") { window.location.reload(); return; }
      bar.max = job.rows_total || 1;
      bar.value = job.rows_done;
      rows.textContent = template.replace("{done}", job.rows_done).replace("{total}", job.rows_total);
      window.setTimeout(tick, 2000);
    }).catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1000);
})();
