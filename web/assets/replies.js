// The item page's replies section: counts the undo window down and shows the outcome
// (the page reloads while a reply is on its way), fills in a chosen template, counts the
// reply's length as the platform does, and copies the manual draft. Without it, the page
// still works: templates through "Use template", states on reload.

const section = document.getElementById('replies');

/** Reloads soon while a reply waits or is being sent, so its final state shows by itself. */
function watchWaitingReply() {
  if (!section?.hasAttribute('data-reply-waiting')) return;
  const counters = [...section.querySelectorAll('[data-send-at]')];
  const tick = () => {
    let due = true;
    for (const counter of counters) {
      const left = Math.max(0, Math.ceil((Date.parse(counter.dataset.sendAt) - Date.now()) / 1000));
      counter.textContent = `${left} s`;
      if (left > 0) due = false;
    }
    return due;
  };
  tick();
  const timer = setInterval(() => {
    if (tick()) {
      clearInterval(timer);
      // The send has started: look again shortly, and keep looking while it is on its way.
      setTimeout(() => window.location.reload(), 1500);
    }
  }, 250);
}

/** Choosing a template fills the box at once; the "Use template" button is for pages without script. */
function fillTemplates() {
  for (const select of document.querySelectorAll('select[data-fills]')) {
    const target = document.getElementById(select.dataset.fills);
    if (!target) continue;
    select.form?.querySelector('[data-without-script]')?.setAttribute('hidden', '');
    select.addEventListener('change', () => {
      const chosen = select.selectedOptions[0];
      target.value = chosen?.dataset.text ?? '';
      target.dispatchEvent(new Event('input'));
      target.focus();
    });
  }
}

const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** Length as the platform counts it (see connectors/reply-contract.ts, replyLength). */
function lengthOf(text, unit) {
  if (unit === 'bytes') return new TextEncoder().encode(text).length;
  if (unit === 'graphemes' && segmenter) return [...segmenter.segment(text)].length;
  return [...text].length;
}

function countLength() {
  const box = document.getElementById('reply-text');
  const hint = document.getElementById('reply-limit');
  const out = hint?.querySelector('[data-reply-count]');
  if (!box || !hint?.dataset.max || !out) return;
  const max = Number(hint.dataset.max);
  const show = () => {
    const length = lengthOf(box.value.trim(), hint.dataset.unit);
    out.textContent = length > max ? `${length - max} over the limit.` : `${max - length} left.`;
    out.classList.toggle('over', length > max);
  };
  box.addEventListener('input', show);
  show();
}

function copyButtons() {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(source.value);
        button.textContent = 'Copied';
      } catch {
        // No clipboard permission: the text is selected to copy by hand.
        source.select();
        button.textContent = 'Select and copy by hand';
      }
    });
  }
}

watchWaitingReply();
fillTemplates();
countLength();
copyButtons();
