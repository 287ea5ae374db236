// JobServer dashboard: live numbers, graphs, live job progress, list selection. Pages work without it; this only
// adds what needs a script. Text goes in through textContent and SVG through setAttribute: never innerHTML.
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const number = new Intl.NumberFormat('en-US');
  const STATS_EVERY_MS = 2000;
  const HISTORY_EVERY_MS = 10000; // cheap (one range read of hour counters), and the current hour should keep up
  const JOB_EVERY_MS = 1000;
  const REALTIME_WINDOW_MS = 5 * 60 * 1000;
  const PAD = { left: 44, right: 8, top: 10, bottom: 22 };
  const QUEUE_STATES = ['enqueued', 'processing', 'scheduled', 'awaiting'];

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin', signal: AbortSignal.timeout(10000) });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  // Polls fn every `ms` while the tab is visible; the next poll is planned only after the previous one ended.
  function every(ms, fn) {
    const tick = async () => {
      try {
        if (!document.hidden) await fn();
      } finally {
        setTimeout(tick, ms);
      }
    };
    tick();
  }

  // ---- List selection and confirmations --------------------------------------------------------------------------

  function initSelection() {
    const boxes = [...document.querySelectorAll('input[type="checkbox"][name="ids"]')];
    const all = document.querySelector('[data-select-all]');
    const buttons = document.querySelectorAll('.toolbar button');
    const update = () => {
      const checked = boxes.filter((box) => box.checked).length;
      buttons.forEach((button) => { button.disabled = checked === 0; });
      if (all) {
        all.checked = checked > 0 && checked === boxes.length;
        all.indeterminate = checked > 0 && checked < boxes.length;
      }
    };
    all?.addEventListener('change', () => { boxes.forEach((box) => { box.checked = all.checked; }); update(); });
    boxes.forEach((box) => box.addEventListener('change', update));
    update();
  }

  document.addEventListener('submit', (event) => {
    const question = event.submitter?.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // ---- SVG drawing -------------------------------------------------------------------------------------------------

  function svg(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attributes).forEach(([key, value]) => element.setAttribute(key, String(value)));
    parent?.appendChild(element);
    return element;
  }

  function label(parent, x, y, text, anchor) {
    svg('text', { x, y, 'text-anchor': anchor }, parent).textContent = text;
  }

  // A fresh drawing surface the size of its container, with horizontal guides at 0, half and the (rounded) maximum.
  function canvas(container, max, description) {
    container.replaceChildren();
    const width = container.clientWidth || 600;
    const height = container.clientHeight || 190;
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': description }, container);
    const plot = { x: PAD.left, y: PAD.top, w: width - PAD.left - PAD.right, h: height - PAD.top - PAD.bottom, bottom: height };
    [0, 0.5, 1].forEach((fraction) => {
      const y = plot.y + (1 - fraction) * plot.h;
      svg('line', { x1: plot.x, x2: plot.x + plot.w, y1: y, y2: y, class: 'axis' }, root);
      label(root, plot.x - 6, y + 4, compact(max * fraction), 'end');
    });
    return { root, plot };
  }

  function niceMax(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    const step = [1, 2, 5, 10].find((s) => value <= s * power);
    return step * power;
  }

  function compact(value) {
    if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
    if (value >= 1e4) return `${+(value / 1e3).toFixed(1)}k`;
    return value >= 10 || value === 0 ? number.format(Math.round(value)) : value.toFixed(1);
  }

  function drawLines(container, samples) {
    const end = samples.length ? samples[samples.length - 1].t : Date.now();
    // Until five minutes of samples exist, the axis spans what has been collected, so the line fills the graph.
    const span = Math.min(REALTIME_WINDOW_MS, Math.max(30000, samples.length ? end - samples[0].t : 0));
    const max = niceMax(Math.max(0, ...samples.flatMap((s) => [s.succeeded, s.failed])));
    const { root, plot } = canvas(container, max, 'Jobs succeeded and failed per second over the last five minutes');
    label(root, plot.x, plot.bottom - 4, span >= REALTIME_WINDOW_MS ? '5 min ago' : `${Math.round(span / 1000)} s ago`, 'start');
    label(root, plot.x + plot.w, plot.bottom - 4, 'now', 'end');
    if (samples.length < 2) {
      label(root, plot.x + plot.w / 2, plot.y + plot.h / 2, 'Collecting…', 'middle');
    }
    ['succeeded', 'failed'].forEach((series) => {
      const points = samples.map((s) => {
        const x = plot.x + (1 - (end - s.t) / span) * plot.w;
        const y = plot.y + (1 - s[series] / max) * plot.h;
        return `${x.toFixed(1)},${y.toFixed(1)}`;
      });
      svg('polyline', { points: points.join(' '), class: `line ${series}` }, root);
    });
  }

  // Stacked bars, succeeded below failed; every bar tells its numbers on hover.
  function drawBars(container, buckets, description, labelEvery) {
    const max = niceMax(Math.max(0, ...buckets.map((b) => b.succeeded + b.failed)));
    const { root, plot } = canvas(container, max, description);
    const slot = plot.w / Math.max(buckets.length, 1);
    const barWidth = Math.max(2, slot * 0.7);
    buckets.forEach((bucket, i) => {
      const x = plot.x + i * slot + (slot - barWidth) / 2;
      const group = svg('g', {}, root);
      svg('title', {}, group).textContent = `${bucket.title}: ${number.format(bucket.succeeded)} succeeded, ${number.format(bucket.failed)} failed`;
      let top = plot.y + plot.h;
      ['succeeded', 'failed'].forEach((series) => {
        const height = (bucket[series] / max) * plot.h;
        top -= height;
        svg('rect', { x, y: top, width: barWidth, height, class: series }, group);
      });
      svg('rect', { x: plot.x + i * slot, y: plot.y, width: slot, height: plot.h, fill: 'transparent' }, group);
      if (i % labelEvery === 0) {
        label(root, x + barWidth / 2, plot.bottom - 4, bucket.label, 'middle');
      }
    });
  }

  // ---- Overview ----------------------------------------------------------------------------------------------------

  function initOverview(root) {
    const status = root.querySelector('.live-status');
    const totals = [];
    let history = null;

    const draw = () => {
      drawLines(root.querySelector('[data-graph="realtime"]'), rates(totals));
      if (history) drawHistory(root, history);
    };

    every(STATS_EVERY_MS, async () => {
      try {
        const stats = await getJson(root.dataset.statsUrl);
        root.querySelectorAll('[data-live]').forEach((element) => {
          const value = element.dataset.live.split('.').reduce((node, key) => node?.[key], stats);
          if (typeof value === 'number') element.textContent = number.format(value);
        });
        renderQueues(root, stats.queues);
        totals.push({ t: Date.parse(stats.at), succeeded: stats.totals.Succeeded ?? 0, failed: stats.totals.Failed ?? 0 });
        while (totals.length > 2 && totals[totals.length - 1].t - totals[1].t > REALTIME_WINDOW_MS) totals.shift();
        const latest = rates(totals).pop();
        root.querySelectorAll('[data-rate]').forEach((element) => {
          element.textContent = latest ? compact(latest[element.dataset.rate.toLowerCase()]) : '–';
        });
        status.textContent = 'live';
        status.classList.remove('offline');
      } catch {
        status.textContent = 'offline, retrying';
        status.classList.add('offline');
      }
      draw();
    });

    every(HISTORY_EVERY_MS, async () => {
      try {
        history = (await getJson(root.dataset.historyUrl)).hours;
        drawHistory(root, history);
      } catch {
        // The stats poll shows the outage; the history is redrawn on the next successful poll.
      }
    });

    window.addEventListener('resize', draw);
  }

  // Per-second rates between successive all-time totals; a total that went down (database reset) counts as zero.
  function rates(samples) {
    const result = [];
    for (let i = 1; i < samples.length; i++) {
      const seconds = (samples[i].t - samples[i - 1].t) / 1000;
      if (seconds <= 0) continue;
      result.push({
        t: samples[i].t,
        succeeded: Math.max(0, samples[i].succeeded - samples[i - 1].succeeded) / seconds,
        failed: Math.max(0, samples[i].failed - samples[i - 1].failed) / seconds,
      });
    }
    return result;
  }

  function drawHistory(root, hours) {
    const hourly = hours.slice(-24).map((h) => {
      const start = new Date(h.hour);
      const time = start.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      return { ...h, label: time, title: `${start.toLocaleDateString()} ${time}` };
    });
    const days = new Map();
    hours.forEach((h) => {
      const start = new Date(h.hour);
      const key = start.toDateString();
      const day = days.get(key) ?? { succeeded: 0, failed: 0, label: start.toLocaleDateString([], { weekday: 'short', day: 'numeric' }), title: start.toLocaleDateString() };
      day.succeeded += h.succeeded;
      day.failed += h.failed;
      days.set(key, day);
    });
    const daily = [...days.values()].slice(-7);
    drawBars(root.querySelector('[data-graph="hourly"]'), hourly, 'Jobs succeeded and failed per hour over the last 24 hours', 6);
    drawBars(root.querySelector('[data-graph="daily"]'), daily, 'Jobs succeeded and failed per day over the last 7 days', 1);
    [['hourly', hourly], ['daily', daily]].forEach(([name, buckets]) => {
      const sum = (series) => number.format(buckets.reduce((total, b) => total + b[series], 0));
      root.querySelector(`[data-history-total="${name}"]`).textContent = `${sum('succeeded')} succeeded · ${sum('failed')} failed`;
    });
  }

  // Rebuilds the queue rows when the set of queues changed (queues come and go with their jobs); counts of known
  // queues are already updated through their data-live paths.
  function renderQueues(root, queues) {
    const body = root.querySelector('[data-live-queues]');
    const names = Object.keys(queues);
    const shown = [...body.rows].map((row) => row.dataset.queue);
    root.querySelector('[data-testid="no-queues"]').hidden = names.length > 0;
    if (names.join('\n') === shown.join('\n')) return;
    body.replaceChildren(...names.map((name) => {
      const row = document.createElement('tr');
      row.dataset.testid = 'queue-row';
      row.dataset.queue = name;
      row.insertCell().textContent = name;
      QUEUE_STATES.forEach((state) => {
        const cell = row.insertCell();
        cell.className = 'num';
        const link = cell.appendChild(document.createElement('a'));
        link.href = `${root.dataset.jobsUrl}${state}?queue=${encodeURIComponent(name)}`;
        link.dataset.testid = `queue-${state}`;
        link.dataset.live = `queues.${name}.${state}`;
        link.textContent = number.format(queues[name][state]);
      });
      return row;
    }));
  }

  // ---- Job detail --------------------------------------------------------------------------------------------------

  // While the job is unfinished: move the progress bar, and reload when its state changes (new history, result).
  function initJob(root) {
    const bar = root.querySelector('[data-testid="progress"]');
    const text = root.querySelector('[data-testid="progress-text"]');
    every(JOB_EVERY_MS, async () => {
      try {
        const job = await getJson(root.dataset.pollUrl);
        if (job.state !== root.dataset.jobState || (job.progress && !bar)) {
          window.location.reload();
          return;
        }
        if (job.progress && bar) {
          const { done, total } = job.progress;
          const percent = total > 0 ? ` (${Math.round((100 * done) / total)} %)` : '';
          bar.max = Math.max(total, 1);
          bar.value = done;
          text.textContent = `${number.format(done)} / ${number.format(total)}${percent}`;
        }
      } catch (error) {
        if (error.status === 404) window.location.reload();
      }
    });
  }

  initSelection();
  document.querySelectorAll('.overview[data-stats-url]').forEach(initOverview);
  document.querySelectorAll('.job-detail[data-poll-url]').forEach(initJob);
})();
