// Demo-page helper (not part of the widget): mirrors console.log / console.warn
// / console.error into the page's #log area, so what the spec's examples log is
// visible without opening the devtools. Load it before the snippet.
(function () {
  function show(kind, args) {
    var log = document.getElementById("log");
    if (!log) return;
    var text = Array.prototype.map
      .call(args, function (a) {
        if (typeof a === "string") return a;
        try {
          return JSON.stringify(a);
        } catch (e) {
          return String(a);
        }
      })
      .join(" ");
    var line = document.createElement("div");
    line.className = "log-" + kind;
    line.textContent = new Date().toISOString().slice(11, 23) + " " + (kind === "log" ? "" : kind + ": ") + text;
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
  }
  ["log", "warn", "error"].forEach(function (kind) {
    var original = console[kind];
    console[kind] = function () {
      show(kind, arguments);
      return original.apply(console, arguments);
    };
  });
})();
