/** The viewer page's HTML: the controls bar, the stage for the canvas, the bundled script. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mbrl-ts viewer</title>
<style>
  html, body { margin: 0; height: 100%; background: #1d232a; color: #e8ecf0; font: 14px system-ui, sans-serif; }
  header { display: flex; gap: 14px; align-items: center; padding: 10px 14px; height: 36px; background: #262e36; }
  header button, header select, header input { font: inherit; }
  header input[type=number] { width: 7em; }
  .stat b { font-variant-numeric: tabular-nums; }
  body.record header { display: none; }
  #stage canvas { display: block; }
</style>
</head>
<body>
<header>
  <button id="play">Play</button>
  <label>seed <input id="seed" type="number" min="0" step="1"></label>
  <button id="reset">Reset</button>
  <label>speed <select id="speed"><option>0.25</option><option>0.5</option><option selected>1</option><option>2</option><option>4</option></select></label>
  <span class="stat">episode <b id="episode">0</b></span>
  <span class="stat">step <b id="step">0</b></span>
  <span class="stat">return <b id="return">0.00</b></span>
  <span class="stat"><b id="checkpoint">-</b></span>
  <span class="stat" id="state">loading</span>
  <label>trajectory <input id="open" type="file" accept=".json,application/json"></label>
</header>
<div id="stage"></div>
<script>if (new URLSearchParams(location.search).get('record') === '1') document.body.className = 'record';</script>
<script type="module" src="viewer.js"></script>
</body>
</html>
`;
