// The chat-bridge console: reads and acts through the admin API of the same server (/admin/...), with the admin
// token the operator enters; the token stays in this tab's sessionStorage and goes only in Authorization headers.
'use strict';

const tokenInput = document.getElementById('token');
const statusLine = document.getElementById('status');

function token() {
  return sessionStorage.getItem('chatbridge.adminToken') || '';
}

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + token() };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(answer.detail || ('HTTP ' + response.status));
  }
  return answer;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '-' : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

// delivered (green) and failed (red) requests per minute, oldest first, as bars
function activityChart(activity) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'activity');
  svg.setAttribute('width', '150');
  svg.setAttribute('height', '30');
  const most = Math.max(1, ...activity.delivered.map((d, i) => d + activity.failed[i]));
  activity.delivered.forEach((delivered, i) => {
    const failed = activity.failed[i];
    const height = (count) => Math.round((count / most) * 28);
    const bar = (count, y, className) => {
      const rect = document.createElementNS(ns, 'rect');
      rect.setAttribute('x', String(i * 10));
      rect.setAttribute('width', '8');
      rect.setAttribute('y', String(y));
      rect.setAttribute('height', String(height(count)));
      rect.setAttribute('class', className);
      const title = document.createElementNS(ns, 'title');
      title.textContent = activity.minutes[i] + ': ' + delivered + ' delivered, ' + failed + ' failed';
      rect.appendChild(title);
      svg.appendChild(rect);
    };
    bar(delivered, 30 - height(delivered) - height(failed), 'delivered');
    bar(failed, 30 - height(failed), 'failed');
  });
  return svg;
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', async () => {
    try {
      statusLine.textContent = await action();
    } catch (e) {
      statusLine.textContent = 'error: ' + e.message;
    }
    await refresh();
  });
  return b;
}

async function refresh() {
  if (!token()) {
    statusLine.textContent = 'enter the admin token';
    return;
  }
  try {
    const [partners, activity, deadLetters] = await Promise.all([
      api('GET', '/admin/partners'), api('GET', '/admin/activity'), api('GET', '/admin/dead-letters?limit=20')]);
    const activityOf = Object.fromEntries(activity.partners.map((a) => [a.id, a]));
    const body = document.querySelector('#partners tbody');
    body.replaceChildren();
    for (const p of partners.partners) {
      const row = body.insertRow();
      row.dataset.partner = p.id;
      cell(row, p.id);
      const state = cell(row, p.state);
      state.innerHTML = '';
      const badge = document.createElement('span');
      badge.className = 'state state-' + p.state;
      badge.dataset.state = p.state;
      badge.textContent = p.state;
      state.appendChild(badge);
      cell(row, p.queued, 'number');
      cell(row, p.inFlight, 'number');
      cell(row, p.deadLetters, 'number').dataset.deadLetters = p.deadLetters;
      cell(row, p.expired, 'number');
      cell(row, p.lastStatus, 'number');
      cell(row, p.consecutiveFailures, 'number');
      cell(row, '').appendChild(activityChart(activityOf[p.id]));
      const actions = cell(row, '');
      if (p.state === 'paused') {
        actions.appendChild(button('Resume', async () => { await api('POST', '/admin/partners/' + p.id + '/resume'); return p.id + ' resumed'; }));
      } else {
        actions.appendChild(button('Pause', async () => { await api('POST', '/admin/partners/' + p.id + '/pause'); return p.id + ' paused'; }));
      }
      actions.appendChild(button('Replay dead letters', async () => {
        const answer = await api('POST', '/admin/dead-letters/replay', { partner: p.id });
        return 'replayed ' + answer.replayed + ' dead letters of ' + p.id + (answer.skipped ? ' (' + answer.skipped + ' skipped)' : '');
      }));
    }
    const dead = document.querySelector('#dead-letters tbody');
    dead.replaceChildren();
    for (const d of deadLetters.deadLetters) {
      const row = dead.insertRow();
      cell(row, d.id);
      cell(row, d.queue);
      cell(row, d.type);
      cell(row, d.reason);
      cell(row, d.attempts, 'number');
      cell(row, d.failedAt);
      cell(row, d.detail, 'detail').title = d.detail || '';
    }
    statusLine.dataset.updated = new Date().toISOString();
    if (!statusLine.textContent || statusLine.textContent.startsWith('updated') || statusLine.textContent.startsWith('error')) {
      statusLine.textContent = 'updated ' + new Date().toLocaleTimeString();
    }
  } catch (e) {
    statusLine.textContent = 'error: ' + e.message;
  }
}

document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('chatbridge.adminToken', tokenInput.value.trim());
  tokenInput.value = '';
  statusLine.textContent = '';
  refresh();
});

refresh();
setInterval(refresh, 5000);
