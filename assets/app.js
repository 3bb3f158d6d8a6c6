/*
 * app.js — optional progressive enhancement.  Every page works without it.
 *
 *  <input type="password" data-toggle-password>   adds a Show button
 *      (text from data-show-label, accessible name from data-show-name,
 *      else Arabic or English by the page language)
 *  <form data-confirm="Question?">  or  <button data-confirm="…">
 *      asks before submitting
 *  every POST form: a second submit while the first is on its way is ignored
 *      (slow networks, double taps); reset after 15 s or on back navigation.
 */
(function () {
	'use strict';
	var doc = document;
	var ar = (doc.documentElement.getAttribute('lang') || '').slice(0, 2) === 'ar';

	function addPasswordToggle(input, n) {
		var btn = doc.createElement('button');
		var wrap = doc.createElement('span');
		if (!input.id)
			input.id = 'password-' + n;
		btn.type = 'button';
		btn.className = 'btn btn-small';
		btn.textContent = input.getAttribute('data-show-label') || (ar ? 'إظهار' : 'Show');
		btn.setAttribute('aria-label', input.getAttribute('data-show-name') ||
			(ar ? 'إظهار كلمة المرور' : 'Show password'));
		btn.setAttribute('aria-controls', input.id);
		btn.setAttribute('aria-pressed', 'false');
		wrap.className = 'password-wrap';
		input.parentNode.insertBefore(wrap, input);
		wrap.appendChild(input);
		wrap.appendChild(btn);
		btn.addEventListener('click', function () {
			var show = input.type === 'password';
			input.type = show ? 'text' : 'password';
			btn.setAttribute('aria-pressed', show ? 'true' : 'false');
		});
	}

	function clearBusy(form) {
		form.removeAttribute('data-submitting');
		form.removeAttribute('aria-busy');
	}

	function onSubmit(e) {
		var form = e.target;
		var submitter = e.submitter;
		var question = (submitter && submitter.getAttribute('data-confirm')) ||
			form.getAttribute('data-confirm');
		if (question && !window.confirm(question)) {
			e.preventDefault();
			return;
		}
		if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post')
			return;
		if (form.hasAttribute('data-submitting')) {
			e.preventDefault();
			return;
		}
		form.setAttribute('data-submitting', '');
		form.setAttribute('aria-busy', 'true');
		setTimeout(function () { clearBusy(form); }, 15000);
		/* Password managers save what they see as a password field. */
		var shown = form.querySelectorAll('input[data-toggle-password]');
		for (var i = 0; i < shown.length; i++)
			shown[i].type = 'password';
	}

	function init() {
		var inputs = doc.querySelectorAll('input[data-toggle-password]');
		for (var i = 0; i < inputs.length; i++)
			addPasswordToggle(inputs[i], i);
	}

	doc.addEventListener('submit', onSubmit);
	window.addEventListener('pageshow', function () {
		var forms = doc.querySelectorAll('form[data-submitting]');
		for (var i = 0; i < forms.length; i++)
			clearBusy(forms[i]);
	});
	if (doc.readyState === 'loading')
		doc.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
