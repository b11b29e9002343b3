// model-guardian status page: progressive enhancement of the server-rendered HTML (served as /ui/page.js under a
// Content-Security-Policy that allows no inline script). Without it the page reads fine; with it the live part
// refreshes itself and the actions are sent. The API token lives in the password field of this tab only: never
// stored (no cookie, no localStorage), never written into the page, sent only as an Authorization header.
(function () {
  'use strict';

  var body = document.body;
  // 0 for a page of the past (an ?until= window): nothing to refresh.
  var every = (parseInt(body.getAttribute('data-refresh'), 10) || 0) * 1000;
  var offline = document.getElementById('offline');
  var offlineSince = document.getElementById('offline-since');
  var busy = false;

  function live() {
    return document.getElementById('live');
  }

  // Not while the person is at the actions: typing the token or a reason, a confirmation asked, a request sent.
  function holding() {
    var at = document.activeElement;
    return busy || document.querySelector('form.action[data-confirming="true"]') !== null
      || (at && at.closest && at.closest('section.actions') !== null);
  }

  // The live part of a freshly fetched page replaces ours; checked again when the answer arrives, since the person
  // may have started an action while it was on its way.
  function refresh() {
    if (holding()) {
      return;
    }
    fetch(window.location.href, { headers: { Accept: 'text/html' }, cache: 'no-store', credentials: 'omit' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        offline.hidden = true;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('live');
        var current = live();
        if (!fresh || !current || holding()) {
          return;
        }
        // What the person typed and the last action's outcome outlive the refresh.
        var token = document.getElementById('token');
        var typed = token ? token.value : '';
        var said = document.querySelector('section.actions .result');
        var reasons = Array.prototype.map.call(document.querySelectorAll('form.action input[name="reason"]'),
          function (input) {
            return [input.closest('form').getAttribute('data-action'), input.value];
          });
        current.replaceWith(document.importNode(fresh, true));
        reasons.forEach(function (kept) {
          var input = document.querySelector('form.action[data-action="' + kept[0] + '"] input[name="reason"]');
          if (input) {
            input.value = kept[1];
          }
        });
        var again = document.getElementById('token');
        if (again) {
          again.value = typed;
        }
        var out = document.querySelector('section.actions .result');
        if (said && out) {
          out.textContent = said.textContent;
          out.className = said.className;
        }
        enable();
      })
      .catch(function () {
        if (offline.hidden) {
          var generated = live() && live().getAttribute('data-generated');
          offlineSince.textContent = generated || 'the last load';
          offline.hidden = false;
        }
      });
  }

  // The buttons are disabled in the HTML; usable ones are enabled here, so nothing is sent without this script.
  function enable() {
    var section = document.querySelector('section.actions');
    if (!section || section.getAttribute('data-enabled') !== 'true') {
      return;
    }
    Array.prototype.forEach.call(section.querySelectorAll('[data-needs-script]'), function (p) {
      p.hidden = true;
    });
    Array.prototype.forEach.call(section.querySelectorAll('button[data-usable="true"]'), function (b) {
      b.disabled = false;
    });
  }

  function result(form, text, ok) {
    var out = form.closest('section.actions').querySelector('.result');
    out.textContent = text;
    out.className = 'result ' + (ok ? 'ok' : 'error');
  }

  function reset(except) {
    Array.prototype.forEach.call(document.querySelectorAll('form.action[data-confirming="true"]'), function (f) {
      if (f !== except) {
        f.removeAttribute('data-confirming');
        var b = f.querySelector('button');
        b.textContent = b.getAttribute('data-label');
      }
    });
  }

  // First submit asks for confirmation (in the page: no native dialog), the second sends the request.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.matches || !form.matches('form.action')) {
      return;
    }
    event.preventDefault();
    var token = document.getElementById('token');
    if (!token || token.value.trim() === '') {
      result(form, 'Type the API token first.', false);
      if (token) {
        token.focus();
      }
      return;
    }
    var reason = form.querySelector('input[name="reason"]');
    if (reason && reason.value.trim() === '') {
      result(form, 'Say why it is rejected.', false);
      reason.focus();
      return;
    }
    var button = form.querySelector('button');
    if (form.getAttribute('data-confirming') !== 'true') {
      reset(form);
      button.setAttribute('data-label', button.textContent);
      button.textContent = 'Confirm: ' + button.textContent;
      form.setAttribute('data-confirming', 'true');
      result(form, form.getAttribute('data-confirm') + ' Click again to confirm.', true);
      // An unanswered confirmation expires: a click much later must not act on what the page showed then.
      window.setTimeout(function () {
        if (form.getAttribute('data-confirming') === 'true') {
          reset(null);
          result(form, 'Not confirmed; nothing was sent.', false);
        }
      }, 15000);
      return;
    }
    form.removeAttribute('data-confirming');
    button.textContent = button.getAttribute('data-label');
    var url = form.getAttribute('action') + (reason ? '?reason=' + encodeURIComponent(reason.value.trim()) : '');
    busy = true;
    button.disabled = true;
    fetch(url, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token.value.trim(), Accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (answer) {
        if (response.ok) {
          result(form, button.textContent + ': ' + (answer.state ? 'target now ' + answer.state : 'accepted')
            + (answer.reason ? ' (' + answer.reason + ')' : ''), true);
        } else {
          result(form, button.textContent + ' refused (HTTP ' + response.status + ', ' + (answer.error || 'error')
            + '): ' + (answer.message || 'no detail'), false);
        }
      });
    }).catch(function (e) {
      result(form, button.textContent + ' not sent: ' + e.message, false);
    }).then(function () {
      busy = false;
      button.disabled = false;
      refresh();
    });
  });

  enable();
  if (every > 0) {
    window.setInterval(refresh, every);
  }
}());
