/**
 * The report's inline script: opens the message diagram scrolled to the first violation (the
 * `data-focus-y` the figure carries), and filters for the timeline table (text, actor, routine entries).
 * Everything it filters is static HTML, so the report reads fully with scripts disabled; the
 * script reads no data of its own, so no run text is ever placed inside a script element.
 */
export const PAGE_SCRIPT = `
(function () {
  var figure = document.getElementById('figure-scroll');
  if (figure && figure.hasAttribute('data-focus-y')) {
    // Near the top of the box: the box itself may start low on the first screen.
    figure.scrollTop = Math.max(0, Number(figure.getAttribute('data-focus-y')) - 60);
  }
})();
(function () {
  var table = document.getElementById('timeline-table');
  var text = document.getElementById('filter-text');
  var actor = document.getElementById('filter-actor');
  var routine = document.getElementById('filter-routine');
  if (!table || !text || !actor || !routine) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var needle = text.value.toLowerCase();
    var who = actor.value;
    var hideRoutine = routine.checked;
    rows.forEach(function (row) {
      var show = (!needle || row.textContent.toLowerCase().indexOf(needle) >= 0) &&
        (!who || row.getAttribute('data-actor') === who) &&
        !(hideRoutine && row.classList.contains('routine'));
      row.classList.toggle('hidden', !show);
    });
  }
  text.addEventListener('input', apply);
  actor.addEventListener('change', apply);
  routine.addEventListener('change', apply);
  // A link to a hidden row clears the filters, so following evidence always lands on the row.
  window.addEventListener('hashchange', function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.classList.contains('hidden')) {
      text.value = '';
      actor.value = '';
      routine.checked = false;
      apply();
      target.scrollIntoView();
    }
  });
})();
`;
