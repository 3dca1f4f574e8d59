// The inbox's keyboard (j/k move, Enter opens, ? lists the shortcuts) and live rows.
const list = document.getElementById('inbox-rows');
const live = document.getElementById('inbox-live');
const dialog = document.getElementById('shortcuts');

function rows() {
  return list ? [...list.querySelectorAll('.inbox-row')] : [];
}

function selectedIndex() {
  return rows().findIndex((row) => row.classList.contains('selected'));
}

function select(index) {
  const all = rows();
  if (all.length === 0) return;
  const next = Math.max(0, Math.min(all.length - 1, index));
  for (const row of all) row.classList.remove('selected');
  all[next].classList.add('selected');
  const link = all[next].querySelector('a');
  if (link) link.focus();
  all[next].scrollIntoView({ block: 'nearest' });
}

function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

document.addEventListener('keydown', (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
  if (dialog && dialog.open) return;
  if (event.key === 'j') {
    event.preventDefault();
    select(selectedIndex() + 1);
  } else if (event.key === 'k') {
    event.preventDefault();
    const current = selectedIndex();
    select(current === -1 ? 0 : current - 1);
  } else if (event.key === 'Enter') {
    const current = rows()[selectedIndex()];
    const link = current && current.querySelector('a');
    // A focused link opens itself; only open here when the focus is elsewhere.
    if (link && document.activeElement !== link) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  } else if (event.key === '?') {
    event.preventDefault();
    if (dialog && typeof dialog.showModal === 'function') dialog.showModal();
  }
});

// A click or focus on a row makes it the selected one, so j/k continue from there.
if (list) {
  list.addEventListener('focusin', (event) => {
    const row = event.target instanceof Element ? event.target.closest('.inbox-row') : null;
    if (!row) return;
    for (const other of rows()) other.classList.toggle('selected', other === row);
  });
}

function announce(count) {
  if (!live) return;
  live.textContent = count === 1 ? '1 new item' : `${count} new items`;
}

function addRows(markup) {
  const template = document.createElement('template');
  template.innerHTML = markup;
  const fresh = [...template.content.querySelectorAll('.inbox-row')].filter((row) => !list.querySelector(`.inbox-row[data-id="${row.dataset.id}"]`));
  if (fresh.length === 0) return;
  for (const row of fresh.reverse()) {
    row.classList.add('arrived');
    list.prepend(row);
  }
  const empty = document.querySelector('.inbox-empty');
  if (empty) empty.remove();
  announce(fresh.length);
}

if (list && list.dataset.events && typeof EventSource === 'function') {
  const events = new EventSource(list.dataset.events);
  events.addEventListener('rows', (event) => {
    try {
      addRows(JSON.parse(event.data).html);
    } catch {
      // A damaged message is skipped; the next one carries its own rows.
    }
  });
  events.addEventListener('signed-out', () => events.close());
  window.addEventListener('pagehide', () => events.close());
}
