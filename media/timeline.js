// Draws the last run in the timeline webview (client/timeline-view.ts posts a TimelineModel, see
// client/timeline-model.ts). Everything is built with DOM calls, never from HTML strings, and styled
// by classes from timeline.css (the CSP allows no inline styles). Clicking anything that has a source
// line asks the extension to reveal it.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const root = /** @type {HTMLElement} */ (document.getElementById('root'));

  /** @param {number} ms */
  function formatMs(ms) {
    if (ms < 10) return `${ms.toFixed(2)} ms`;
    if (ms < 1000) return `${ms.toFixed(1)} ms`;
    return `${(ms / 1000).toFixed(2)} s`;
  }

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} [attrs]
   * @param {string} [text]
   */
  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /**
   * @param {string} tag
   * @param {string} [className]
   * @param {string} [text]
   */
  function html(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** @param {Element} node @param {number | undefined} line @param {number} [character] */
  function revealOnClick(node, line, character) {
    if (typeof line !== 'number') return;
    node.classList.add('clickable');
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    const reveal = () => vscode.postMessage({ type: 'reveal', line, character: character ?? 0 });
    node.addEventListener('click', reveal);
    node.addEventListener('keydown', (e) => {
      const key = /** @type {KeyboardEvent} */ (e).key;
      if (key === 'Enter' || key === ' ') reveal();
    });
  }

  /** A time scale from 0..duration to pixels, with "nice" ticks. */
  function scale(duration, x0, width) {
    const d = Math.max(duration, 1e-3);
    const x = (/** @type {number} */ t) => x0 + (Math.min(Math.max(t, 0), d) / d) * width;
    const raw = d / 6;
    const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
    const ticks = [];
    for (let t = 0; t <= d + 1e-9; t += step) ticks.push(t);
    return { x, ticks };
  }

  /** One lane per peer: a bar per status segment. */
  function drawLanes(model, width) {
    const labelWidth = 110;
    const laneHeight = 30;
    const top = 8;
    const plot = width - labelWidth - 16;
    const { x, ticks } = scale(model.durationMs, labelWidth, plot);
    const height = top + model.lanes.length * (laneHeight + 10) + 26;
    const chart = svg('svg', { class: 'lanes', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'status of each peer over time' });
    model.lanes.forEach((lane, i) => {
      const y = top + i * (laneHeight + 10);
      chart.append(svg('text', { class: 'lane-name', x: 0, y: y + laneHeight / 2 + 4 }, `${lane.peer}${lane.crashed ? ' ✗' : ''}`));
      chart.append(svg('rect', { class: 'lane-track', x: labelWidth, y, width: plot, height: laneHeight, rx: 3 }));
      for (const seg of lane.segments) {
        const x1 = x(seg.from);
        const w = Math.max(2, x(seg.to) - x1);
        const group = svg('g', { class: `segment status-${seg.status}` });
        const title = svg('title', {}, `${lane.peer} ${seg.statusName} from ${formatMs(seg.from)} to ${formatMs(seg.to)} (${seg.connection})${seg.note ? `\n${seg.note}` : ''}`);
        group.append(title, svg('rect', { x: x1, y, width: w, height: laneHeight, rx: 3 }));
        const label = seg.statusName.replace(/^STATUS_/, '');
        if (w > label.length * 7 + 8) group.append(svg('text', { class: 'segment-label', x: x1 + 5, y: y + laneHeight / 2 + 4 }, label));
        revealOnClick(group, seg.line);
        chart.append(group);
      }
    });
    const axisY = top + model.lanes.length * (laneHeight + 10) + 4;
    chart.append(svg('line', { class: 'axis', x1: labelWidth, y1: axisY, x2: labelWidth + plot, y2: axisY }));
    for (const t of ticks) {
      chart.append(svg('line', { class: 'axis', x1: x(t), y1: axisY, x2: x(t), y2: axisY + 4 }));
      chart.append(svg('text', { class: 'tick', x: x(t), y: axisY + 16, 'text-anchor': 'middle' }, formatMs(t)));
    }
    return chart;
  }

  /** The messages between the peers, one row each, in the order they were sent. */
  function drawSequence(model, width) {
    const names = model.lanes.map((l) => l.peer);
    const clientName = model.lanes.find((l) => l.role === 'client')?.peer ?? names[1];
    const serverName = model.lanes.find((l) => l.role === 'server')?.peer ?? names[0];
    const timeColumn = 90;
    const left = timeColumn + 60;
    const right = width - 60;
    const xOf = (/** @type {string} */ peer) => (peer === clientName ? left : right);
    const row = 30;
    const top = 34;
    const messages = [...model.messages].sort((a, b) => a.sentAt - b.sentAt);
    const height = top + Math.max(1, messages.length) * row + 12;
    const chart = svg('svg', { class: 'sequence', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'messages between the peers' });
    const defs = svg('defs');
    for (const kind of ['ok', 'lost']) {
      const marker = svg('marker', { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      marker.append(svg('path', { class: `arrowhead-${kind}`, d: 'M0,0 L10,5 L0,10 z' }));
      defs.append(marker);
    }
    chart.append(defs);
    for (const [name, xx] of [[clientName, left], [serverName, right]]) {
      chart.append(svg('text', { class: 'lifeline-name', x: xx, y: 16, 'text-anchor': 'middle' }, String(name)));
      chart.append(svg('line', { class: 'lifeline', x1: xx, y1: 22, x2: xx, y2: height - 4 }));
    }
    messages.forEach((m, i) => {
      const y = top + i * row + 14;
      const x1 = xOf(m.from);
      const x2 = xOf(m.to);
      const lost = m.receivedAt === undefined;
      const end = lost ? x1 + (x2 - x1) * 0.6 : x2;
      const classes = ['message', `kind-${m.kind}`, lost ? 'lost' : 'delivered'];
      if (m.retransmission) classes.push('retransmission');
      if (m.cookie) classes.push('cookie');
      const group = svg('g', { class: classes.join(' ') });
      const timing = lost ? `sent ${formatMs(m.sentAt)}, lost (${m.dropped ?? 'never received'})` : `sent ${formatMs(m.sentAt)}, received ${formatMs(m.receivedAt)}`;
      group.append(svg('title', {}, `${m.from} → ${m.to}: ${m.label}${m.bytes !== undefined ? ` (${m.bytes} B)` : ''}\n${timing}`));
      group.append(svg('text', { class: 'time', x: 0, y: y + 4 }, formatMs(m.sentAt)));
      group.append(svg('line', { class: 'arrow', x1, y1: y, x2: end, y2: y, 'marker-end': `url(#arrow-${lost ? 'lost' : 'ok'})` }));
      if (lost) {
        group.append(svg('text', { class: 'drop-mark', x: end + (x2 > x1 ? 6 : -18), y: y + 5 }, '✕'));
      }
      const tags = [];
      if (m.retransmission) tags.push('↻ retransmission');
      if (m.cookie) tags.push('cookie');
      if (lost) tags.push(`dropped: ${m.dropped ?? 'not received'}`);
      const label = `${m.label}${tags.length ? `  [${tags.join(', ')}]` : ''}`;
      group.append(svg('text', { class: 'message-label', x: (left + right) / 2, y: y - 5, 'text-anchor': 'middle' }, label));
      chart.append(group);
    });
    if (messages.length === 0) chart.append(svg('text', { class: 'tick', x: (left + right) / 2, y: top + 14, 'text-anchor': 'middle' }, 'no message between the peers'));
    return chart;
  }

  function drawEvents(model) {
    const list = html('ol', 'events');
    for (const e of model.events) {
      if (e.kind === 'status' || e.kind === 'handshake') continue; // drawn above
      const item = html('li', `event event-${e.kind}`);
      item.append(html('span', 'time', formatMs(e.at)), html('span', 'peer', e.peer), html('span', 'kind', e.kind), html('span', 'text', e.kind === 'print' ? `“${e.text}”` : e.text));
      if (typeof e.line === 'number') item.append(html('span', 'line', `line ${e.line + 1}`));
      revealOnClick(item, e.line, e.character);
      list.append(item);
    }
    for (const p of model.problems) {
      const item = html('li', `event event-problem severity-${p.severity}`);
      item.append(html('span', 'time', ''), html('span', 'peer', p.peer ?? ''), html('span', 'kind', p.severity), html('span', 'text', p.message), html('span', 'line', `line ${p.line + 1}`));
      revealOnClick(item, p.line, p.character);
      list.append(item);
    }
    if (!list.childElementCount) list.append(html('li', 'event', 'nothing printed'));
    return list;
  }

  function render(state) {
    root.replaceChildren();
    if (!state || !state.model) {
      root.append(html('p', 'empty', 'Run a DTLS pair (▶ Run DTLS pair above a server snippet) to see its timeline here.'));
      return;
    }
    const { model, documentName } = state;
    const width = Math.max(480, Math.min(1400, root.clientWidth || 800));
    const header = html('header', 'header');
    header.append(html('h1', '', model.title));
    header.append(html('span', `badge ${model.ok ? 'ok' : 'failed'}`, model.ok ? 'ok' : 'failed'));
    header.append(html('span', 'meta', `${documentName} · ${model.link} link · ${formatMs(model.durationMs)}`));
    const legend = html('div', 'legend');
    for (const [status, name] of [[1, 'HANDSHAKING'], [2, 'CONNECTED'], [3, 'ERROR'], [0, 'DISCONNECTED']]) {
      const item = html('span', `legend-item status-${status}`);
      item.append(html('span', 'swatch'), document.createTextNode(String(name)));
      legend.append(item);
    }
    root.append(header, html('h2', '', 'Status of each peer'), drawLanes(model, width), legend,
      html('h2', '', 'Messages (handshake flights, data, alerts)'), drawSequence(model, width),
      html('h2', '', 'Prints and errors'), drawEvents(model));
  }

  let current = vscode.getState();
  render(current);
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'model') {
      current = { model: message.model, documentName: message.documentName };
      vscode.setState(current);
      render(current);
    }
  });
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => render(current), 100);
  });
})();
