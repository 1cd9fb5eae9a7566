'use strict';
// The local operator page: fetches /ops/data.json every 5 seconds with the admin token from the link's #token=
// and draws the figures (plain SVG, no library: the page must work offline).
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const token = new URLSearchParams(location.hash.slice(1)).get('token') || sessionStorage.getItem('onderdakToken');
  if (token) { sessionStorage.setItem('onderdakToken', token); }
  const $ = (id) => document.getElementById(id);
  const fmt = (v) => v === null || v === undefined ? '–' : (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(1)) : String(v));

  function el(tag, attrs, text) {
    const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function table(id, head, rows) {
    const t = $(id);
    t.replaceChildren();
    const tr = el('tr');
    head.forEach((h) => tr.appendChild(el('th', { scope: 'col' }, h)));
    t.appendChild(el('thead')).appendChild(tr);
    const body = t.appendChild(el('tbody'));
    rows.forEach((r) => {
      const row = body.appendChild(el('tr'));
      r.forEach((c, i) => row.appendChild(el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row' } : {}, fmt(c))));
    });
  }

  // Horizontal bars: rows of [label, [value, colour, name]...]; one group of bars per row.
  function bars(id, title, rows, legend) {
    const host = $(id);
    host.replaceChildren();
    const per = rows.length ? rows[0][1].length : 1;
    const rowH = 8 + per * 14;
    // Drawn at the size it is shown, so that its text stays readable on a phone.
    const width = Math.max(280, Math.min(960, host.clientWidth || 720));
    const labelW = Math.min(170, Math.round(width * 0.38)), valueW = 44;
    const max = Math.max(1, ...rows.flatMap((r) => r[1].map((b) => b[0] || 0)));
    const svg = el('svg:svg', { viewBox: `0 0 ${width} ${rows.length * rowH + 6}`, role: 'img', 'aria-label': title });
    rows.forEach((r, i) => {
      const y = i * rowH + 4;
      svg.appendChild(el('svg:text', { x: 0, y: y + rowH / 2 + 2 }, r[0]));
      r[1].forEach((b, j) => {
        const w = Math.round((width - labelW - valueW) * (b[0] || 0) / max);
        svg.appendChild(el('svg:rect', { x: labelW, y: y + j * 14, width: Math.max(w, 1), height: 12, fill: b[1] }));
        svg.appendChild(el('svg:text', { x: labelW + w + 4, y: y + j * 14 + 10 }, fmt(b[0])));
      });
    });
    host.appendChild(svg);
    if (legend) {
      const p = el('p', { class: 'legend' });
      legend.forEach(([name, kind]) => { p.appendChild(el('span', { class: 'sw ' + kind })); p.append(name); });
      host.appendChild(p);
    }
  }

  function metric(data, name, where) {
    return data.metrics.filter((m) => m.name === name && Object.entries(where || {}).every(([k, v]) => m.dimensions[k] === v));
  }
  const sum = (list) => list.reduce((a, m) => a + m.sum, 0);
  const hours = (s) => s === undefined || s === null ? '–' : s < 3600 ? Math.round(s / 60) + ' min' : (s / 3600).toFixed(1) + ' h';

  function draw(data) {
    const css = getComputedStyle(document.documentElement);
    const demand = css.getPropertyValue('--demand').trim(), supply = css.getPropertyValue('--supply').trim();
    const target = css.getPropertyValue('--target').trim();
    const p = data.picture, f = p.funnel;
    $('updated').textContent = 'Updated ' + new Date(p.generatedAt).toLocaleTimeString('en-GB') + '.';
    $('year').textContent = p.year;

    const alarms = $('alarms');
    alarms.replaceChildren();
    data.alarms.forEach((a) => {
      const li = el('li', { class: a.state === 'ALARM' ? 'alarm' : 'ok', title: a.description }, (a.state === 'ALARM' ? '● ' : a.state === 'OK' ? '✓ ' : '? ') + a.name);
      li.appendChild(el('span', {}, a.reason));
      alarms.appendChild(li);
    });

    bars('funnel', 'Funnel: households and hosts from registration to placement', [
      ['Households registered', [[f.householdsRegistered, demand]]],
      ['Proposals', [[f.proposals, demand]]],
      ['Accepted', [[f.acceptances, demand]]],
      ['Placed', [[f.placements, demand]]],
      ['Hosts registered', [[f.hostsRegistered, supply]]],
      ['Hosts approved', [[f.hostsApproved, supply]]],
      ['Active placements', [[f.activePlacements, supply]]],
    ]);
    const tp = metric(data, 'TimeToProposal')[0], tl = metric(data, 'TimeToPlacement')[0];
    $('times').textContent = 'Time from registration to proposal: median ' + hours(tp && tp.p50) + ', p90 ' + hours(tp && tp.p90)
      + '. To placement: median ' + hours(tl && tl.p50) + ', p90 ' + hours(tl && tl.p90) + '.';

    bars('regions-chart', 'Open households against approved hosts per province',
      p.provinces.map((r) => [r.name, [[r.openHouseholds, demand], [r.approvedHosts, supply]]]),
      [['open households', 'demand'], ['approved hosts', 'supply']]);
    table('regions', ['Province', 'Open households', 'On hold', 'Hosts in screening', 'Approved hosts', 'Pressure',
      'Active placements', 'Median wait (days)'],
      p.provinces.map((r) => [r.name + ' (' + r.region + ')', r.openHouseholds, r.householdsOnHold, r.hostsInScreening,
        r.approvedHosts, r.pressure, r.activePlacements, r.medianWaitDays]));

    const withTargets = p.provinces.concat(p.municipalities).filter((r) => r.targets.households !== null || r.targets.homes !== null);
    bars('targets-chart', 'Households placed this year against the target, per region with a target',
      withTargets.map((r) => [r.region.startsWith('GM') && r.name !== r.region ? r.name + ' (' + r.region + ')' : r.name, [[r.householdsPlacedThisYear, demand], [r.targets.households || 0, target]]]),
      [['households placed', 'demand'], ['target', 'target']]);
    table('targets', ['Region', 'Households placed', 'Target', '%', 'Homes taken into use', 'Covenant homes', '%'],
      p.provinces.concat(p.municipalities).map((r) => [r.name === r.region ? r.region : r.name + ' (' + r.region + ')',
        r.householdsPlacedThisYear, r.targets.households, r.progressPercent.households, r.homesTakenIntoUseThisYear,
        r.targets.homes, r.progressPercent.homes]));

    // Stays: the clock's gauges per province (their latest value), then the counts by outcome.
    const last = (name, province) => { const m = metric(data, name, { Province: province })[0]; return m ? m.last : 0; };
    const stayProvinces = [...new Set(metric(data, 'StaysEndingSoon').map((m) => m.dimensions.Province))].sort();
    table('stays', ['Province', 'Ending soon', 'Of those, no next step', 'Past their end'],
      stayProvinces.map((pv) => [(p.provinces.find((r) => r.region === pv) || { name: pv }).name, last('StaysEndingSoon', pv),
        last('StaysEndingUnplanned', pv), last('StaysPastEnd', pv)]));
    const by = (name, dim) => metric(data, name).map((m) => [name + ': ' + m.dimensions[dim], m.sum]);
    table('stay-figures', ['Figure', 'Count'], by('Introductions', 'Outcome').concat(by('StaysEnded', 'Timing'),
      by('CheckIns', 'Outcome'), metric(data, 'EndsOfStay', { Reason: 'needs_new_place' }).map((m) => ['Re-matches after a stay (needs_new_place)', m.sum])));
    table('incidents', ['Category', 'Severity', 'Incidents'], metric(data, 'Incidents').map((m) => [m.dimensions.Category,
      m.dimensions.Severity, m.sum]));

    const c = data.chain;
    const roles = Object.entries(c.unassignedByRole).filter(([, n]) => n > 0).map(([r, n]) => r + ' ' + n);
    $('unassigned').textContent = c.unassigned === 0 ? 'Every open case has an organisation for each of its roles.'
      : c.unassigned + ' case(s) waiting unassigned: ' + roles.join(', ') + '.';
    table('organisations', ['Organisation', 'Cases held', 'Waiting on it', 'Handovers in', 'Handovers out', 'Refused'],
      c.organisations.map((o) => [o.name + ' (' + o.partnerId + ')', o.held, o.waiting, o.handoversIn, o.handoversOut,
        o.handoversRefused]));
    table('steps', ['Organisation', 'Step', 'Waiting now', 'Taken', 'Waited, median', 'Waited, p90'],
      c.steps.map((r) => [r.name, r.step, r.waiting, r.taken || 0, hours(r.waitedP50Seconds), hours(r.waitedP90Seconds)]));

    table('queues', ['Queue', 'Visible', 'In flight', 'Delayed'], data.queues.map((q) => [q.name, q.visible, q.inFlight, q.delayed]));
    table('streams', ['Mapping', 'Iterator age (ms)'], data.streams.map((s) => [s.mapping, s.iteratorAgeMs])
      .concat(Object.entries(data.failedStreamBatches).filter(([, n]) => n > 0)
        .map(([queue, n]) => ['Failed batches in ' + queue, n])));
    const outcomes = metric(data, 'WebhookDeliveries').map((m) => [m.dimensions.Outcome, [[m.sum, m.dimensions.Outcome === 'delivered' ? supply : demand]]]);
    if (outcomes.length) { bars('webhooks', 'Webhook attempts by outcome', outcomes); } else { $('webhooks').textContent = 'No webhook attempts yet.'; }
    const lag = metric(data, 'WebhookDeliveryLag')[0];
    table('api', ['Figure', 'Value'], [['Requests', data.api.requests], ['4xx', data.api.clientErrors], ['5xx', data.api.serverErrors],
      ['Latency p50 (ms)', data.api.latencyP50Ms], ['Latency p99 (ms)', data.api.latencyP99Ms],
      ['Webhook lag p50 (ms)', lag && lag.p50], ['Endpoints disabled', data.partnerEndpoints.disabled + ' of ' + data.partnerEndpoints.total]]);
    table('functions', ['Function', 'Invocations', 'Errors'], data.functions.map((x) => [x.name, x.invocations, x.errors]));
    document.body.dataset.loaded = 'true';
  }

  // The chain as GET /admin/chain gives it (held and waiting, from the store), with what the metrics add: the
  // handovers in, out and refused (Handovers), and how long each step waited at each organisation (StepWaitTime).
  function chainWithMetrics(chain, data) {
    const handovers = (partner, direction, outcome) => sum(metric(data, 'Handovers', { Partner: partner, Direction: direction, Outcome: outcome }));
    const steps = [];
    const organisations = chain.organisations.map((o) => {
      const known = new Set(Object.keys(o.waitingByStep));
      metric(data, 'StepWaitTime', { Partner: o.partnerId }).forEach((m) => known.add(m.dimensions.Step));
      [...known].sort().forEach((step) => {
        const waited = metric(data, 'StepWaitTime', { Partner: o.partnerId, Step: step })[0];
        steps.push({ name: o.name, step, waiting: o.waitingByStep[step] || 0, taken: waited && waited.count,
          waitedP50Seconds: waited && waited.p50, waitedP90Seconds: waited && waited.p90 });
      });
      return Object.assign({}, o, { handoversIn: handovers(o.partnerId, 'in', 'accepted'),
        handoversOut: handovers(o.partnerId, 'out', 'accepted'), handoversRefused: handovers(o.partnerId, 'in', 'refused') });
    });
    return Object.assign({}, chain, { organisations, steps });
  }

  async function get(path) {
    const r = await fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {} });
    if (!r.ok) { throw new Error(r.status === 401 || r.status === 403 ? 'Open the /ops link the local runtime printed (it carries the admin token).' : path + ': HTTP ' + r.status); }
    return r.json();
  }

  async function refresh() {
    try {
      // What AWS would show (metrics, queues, streams, alarms) from the runtime; the picture of the work from the
      // product's own operator routes, as an operator reads them in AWS.
      const [data, picture, chain, partners] = await Promise.all(
        [get('/ops/data.json'), get('/admin/picture'), get('/admin/chain'), get('/admin/partners')]);
      const endpoints = partners.partners.flatMap((x) => x.endpoints);
      draw(Object.assign(data, { picture, chain: chainWithMetrics(chain, data),
        partnerEndpoints: { total: endpoints.length, disabled: endpoints.filter((e) => e.disabled).length } }));
      $('problem').hidden = true;
    } catch (e) {
      $('problem').textContent = e.message;
      $('problem').hidden = false;
    }
  }
  refresh();
  setInterval(refresh, 5000);
}());
