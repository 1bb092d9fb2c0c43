// upki console: progressive touches only; every action works without this file.
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  // Ask before a destructive button that carries data-confirm (removing an admin).
  document.querySelectorAll('button[data-confirm]').forEach(function (button) {
    button.addEventListener('click', function (event) {
      if (!window.confirm(button.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });
  // While a revocation has not reached every subscribed edge, reload the CRL page each second (at most a minute).
  var edge = document.getElementById('edge');
  if (edge && edge.getAttribute('data-pending') === 'true') {
    var key = 'upki-reloads:' + location.search;
    var count = Number(sessionStorage.getItem(key) || '0');
    if (count < 60) {
      sessionStorage.setItem(key, String(count + 1));
      setTimeout(function () { location.reload(); }, 1000);
    }
  }
});
