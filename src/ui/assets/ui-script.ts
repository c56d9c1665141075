// The dashboard's browser script, served at /assets/ui.js. It writes data into the page with textContent only.

/** JavaScript of every dashboard page (plain ES2020, no modules, no other file). */
export const UI_SCRIPT = `
'use strict';
(function () {
  const body = document.body;
  const cell = (row, text, cls) => {
    const td = document.createElement('td');
    td.textContent = text === undefined || text === null ? '' : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  };
  const number = (v) => (typeof v === 'number' && Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4)) : '-');
  const params = (p) => Object.entries(p || {}).map(([k, v]) => k + '=' + String(v)).join(' ');
  const journalUrl = (path, id) => path + '?journal=' + encodeURIComponent(id);
  // Requests that change something carry the dashboard's header (the server answers no other).
  const post = (url, body) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autotune-ui': '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json().then((data) => ({ ok: r.ok, data })));

  function listPage() {
    const tbody = document.querySelector('#studies tbody');
    const result = document.getElementById('submit-result');
    document.getElementById('submit').addEventListener('submit', (event) => {
      event.preventDefault();
      result.textContent = 'checking...';
      post('/api/run/submit', { file: document.getElementById('submit-text').value }).then(({ ok, data }) => {
        if (ok) window.location.href = journalUrl('/study', data.id);
        else result.textContent = data.error;
      });
    });
    const choices = [document.getElementById('compare-a'), document.getElementById('compare-b')];
    const refresh = () =>
      fetch('/api/studies', { cache: 'no-store' })
        .then((r) => r.json())
        .then((studies) => {
          tbody.replaceChildren();
          document.getElementById('empty').hidden = studies.length > 0;
          choices.forEach((select, i) => {
            const chosen = select.value;
            select.replaceChildren();
            for (const s of studies) select.appendChild(new Option(s.studyId, s.id));
            select.value = chosen || (studies[i] ? studies[i].id : '');
          });
          for (const s of studies) {
            const row = document.createElement('tr');
            row.dataset.journal = s.id;
            const link = document.createElement('a');
            link.href = journalUrl('/study', s.id);
            link.textContent = s.studyId + ' (' + s.id + ')';
            cell(row, '').appendChild(link);
            cell(row, s.running ? 'running here' : s.status, 'status ' + s.status);
            cell(row, s.searchTrials + ' / ' + s.maxTrials, 'num');
            cell(row, s.failed, 'num');
            cell(row, s.best ? '#' + s.best.trial + ' ' + s.objectiveName + ' ' + number(s.best.objective) : '-');
            cell(row, s.updatedAt);
            tbody.appendChild(row);
          }
        })
        .catch(() => undefined);
    refresh();
    setInterval(refresh, 2000);
  }

  function studyPage() {
    const journal = body.dataset.journal;
    const tbody = document.querySelector('#trials tbody');
    const status = document.getElementById('status');
    const summaryList = document.getElementById('summary');
    const rows = new Map();
    let best;
    const showSummary = (s) => {
      document.getElementById('title').textContent = 'Study ' + s.studyId;
      status.textContent = s.status === 'finished' ? 'finished: ' + (s.stopReason || '') : 'in progress';
      status.className = 'status ' + s.status;
      const report = document.getElementById('report');
      report.hidden = s.status !== 'finished';
      report.href = journalUrl('/report', journal);
      summaryList.replaceChildren();
      const items = [
        ['search trials', s.searchTrials + ' / ' + s.maxTrials],
        ['all trials', s.trials],
        ['failed', s.failed],
        ['best', s.best ? '#' + s.best.trial + ': ' + s.objectiveName + ' ' + number(s.best.objective) + ' (' + params(s.best.params) + ')' : '-'],
        ['updated', s.updatedAt],
      ];
      for (const [k, v] of items) {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = String(v);
        dd.id = 'summary-' + k.replace(/ /g, '-');
        summaryList.append(dt, dd);
      }
      best = s.best ? s.best.trial : undefined;
      for (const [n, row] of rows) row.classList.toggle('best', n === best);
    };
    const showTrial = (t) => {
      const row = document.createElement('tr');
      row.id = 'trial-' + t.number;
      row.className = t.state + (t.number === best ? ' best' : '');
      cell(row, t.number, 'num');
      cell(row, t.phase);
      cell(row, t.state + (t.failureReason ? ' (' + t.failureReason + ')' : ''));
      cell(row, t.objective ? t.objective.map(number).join(' / ') : '-', 'num');
      cell(row, (t.gpuIndices || []).join(','));
      cell(row, (t.durationMs / 1000).toFixed(1), 'num');
      cell(row, params(t.params));
      const old = rows.get(t.number);
      if (old) old.replaceWith(row);
      else tbody.appendChild(row);
      rows.set(t.number, row);
      if (t.failure) {
        document.getElementById('failure').hidden = false;
        document.getElementById('failure-text').textContent =
          '#' + t.number + ': ' + t.failure.message + (t.failure.logTail ? '\\n\\n' + t.failure.logTail : '');
      }
    };
    const stop = document.getElementById('stop');
    const resume = document.getElementById('resume');
    const runState = document.getElementById('run-state');
    let finished = false;
    const showRun = () =>
      fetch(journalUrl('/api/run/state', journal), { cache: 'no-store' })
        .then((r) => r.json())
        .then((s) => {
          stop.hidden = !s.running;
          resume.hidden = s.running || finished;
          runState.textContent = s.running ? 'running in this dashboard' : s.ending ? s.ending.outcome + (s.ending.message ? ': ' + s.ending.message : '') : '';
        })
        .catch(() => undefined);
    stop.addEventListener('click', () => post(journalUrl('/api/run/stop', journal)).then(showRun));
    resume.addEventListener('click', () =>
      post(journalUrl('/api/run/resume', journal)).then(({ ok, data }) => {
        if (!ok) runState.textContent = data.error;
        showRun();
      }),
    );
    showRun();
    setInterval(showRun, 1000);
    const liveBody = document.querySelector('#live tbody');
    const showLive = (trials) => {
      liveBody.replaceChildren();
      document.getElementById('live').hidden = trials.length === 0;
      for (const t of trials) {
        const row = document.createElement('tr');
        row.id = 'live-' + t.number;
        cell(row, t.number, 'num');
        cell(row, t.phase);
        cell(row, t.gpus.join(','));
        cell(row, t.since);
        cell(row, t.ready ? 'ready' : 'starting');
        cell(row, params(t.params));
        liveBody.appendChild(row);
      }
    };
    const events = new EventSource(journalUrl('/api/events', journal));
    events.addEventListener('live', (e) => showLive(JSON.parse(e.data)));
    events.addEventListener('update', (e) => {
      const data = JSON.parse(e.data);
      showSummary(data.summary);
      // The report's charts of the study as it stands, drawn by the report's chart script.
      window.autotuneCharts.draw(document.getElementById('charts'), data.charts);
      for (const t of data.trials) showTrial(t);
      body.dataset.trials = String(rows.size);
      finished = data.summary.status === 'finished';
      showRun();
      if (finished) {
        showLive([]);
        events.close();
      }
    });
    events.addEventListener('problem', (e) => {
      status.textContent = JSON.parse(e.data).message;
      events.close();
    });
  }

  if (body.dataset.page === 'list') listPage();
  if (body.dataset.page === 'study') studyPage();
})();
`;
