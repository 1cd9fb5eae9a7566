/*
 * Onderdak: the public registration form and the status page. Plain JavaScript, no libraries, no
 * third-party requests. Every text comes from /assets/i18n/<language>.json (one file per language, for
 * a native speaker to review); the rules come from /assets/config.json, which the server builds from the
 * same constants it checks registrations against. The server stays the authority: its field errors are
 * shown next to the fields, translated by their codes.
 */
(function () {
  'use strict';

  var LANGUAGES = ['nl', 'en', 'uk', 'ru'];
  // Each language's name in itself, for the switch and the "preferred language" choice.
  var NATIVE_NAMES = { nl: 'Nederlands', en: 'English', uk: 'Українська', ru: 'Русский' };
  var SPOKEN = ['uk', 'ru', 'nl', 'en', 'de', 'pl', 'fr', 'ar'];

  var state = {
    lang: 'en', strings: {}, config: null, kind: null, errors: [], general: null,
    idempotencyKey: null, keyPayload: null, busy: false, clientChecks: true, done: null, ticket: null
  };

  // ------------------------------------------------------------------ form ticket
  // The server gives the form a ticket when it opens and accepts a registration only with it, spent once and
  // not before a person could have filled the form in (FormTickets on the server). A refused ticket is replaced
  // and the form sent again, once, after the wait the server names.
  function fetchTicket() {
    state.ticket = fetch('/registrations/tickets', { method: 'POST', headers: { accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
    return state.ticket;
  }

  function ticketRefused(response, data) {
    return response.status === 400 && data && data.errors && data.errors.some(function (e) {
      return e.field === 'Form-Ticket';
    });
  }

  // ------------------------------------------------------------------ language
  function chooseLanguage() {
    var asked = new URLSearchParams(location.search).get('lang');
    if (asked && LANGUAGES.indexOf(asked) >= 0) {
      return asked;
    }
    var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).toLowerCase().split('-')[0];
      if (LANGUAGES.indexOf(code) >= 0) {
        return code;
      }
    }
    return 'en';
  }

  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (r) {
      if (!r.ok) {
        throw new Error(url + ': ' + r.status);
      }
      return r.json();
    });
  }

  function t(key, params) {
    var text = state.strings[key];
    if (text === undefined) {
      return key;
    }
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return params && params[name] !== undefined ? String(params[name]) : all;
    });
  }

  function has(key) {
    return state.strings[key] !== undefined;
  }

  function setLanguage(lang) {
    return getJson('/assets/i18n/' + lang + '.json').then(function (strings) {
      state.lang = lang;
      state.strings = strings;
      document.documentElement.lang = lang;
      var url = new URL(location.href);
      url.searchParams.set('lang', lang);
      history.replaceState(null, '', url);
      applyStrings();
    });
  }

  function applyStrings() {
    document.title = t(document.body.dataset.page === 'status' ? 'status.title' : 'page.title') + ' | Onderdak';
    document.querySelectorAll('[data-i18n]').forEach(function (el) {
      el.textContent = t(el.dataset.i18n, el.dataset.i18nParams ? JSON.parse(el.dataset.i18nParams) : null);
    });
    document.querySelectorAll('#languages button').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.lang === state.lang));
    });
    var nav = document.getElementById('languages');
    nav.setAttribute('aria-label', t('page.language'));
    renderErrors(false);
    if (state.done) {
      renderDone();
    }
    if (document.body.dataset.page === 'status') {
      renderStatus();
    }
    if (state.config) {
      applyOptionLabels();
    }
  }

  function languageSwitch() {
    var nav = document.getElementById('languages');
    var list = el('ul');
    LANGUAGES.forEach(function (code) {
      var b = el('button', { type: 'button', lang: code }, NATIVE_NAMES[code]);
      b.addEventListener('click', function () {
        setLanguage(code);
      });
      list.appendChild(el('li', null, b));
    });
    nav.appendChild(list);
  }

  // ------------------------------------------------------------------ small DOM helper
  function el(tag, attrs, content) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) {
          return;
        }
        if (k === 'i18n') {
          node.dataset.i18n = attrs[k];
        } else if (k === 'className') {
          node.className = attrs[k];
        } else {
          node.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
        }
      });
    }
    if (typeof content === 'string') {
      node.textContent = content;
    } else if (content) {
      node.appendChild(content);
    }
    return node;
  }

  function fieldId(name) {
    return 'f-' + name.replace(/[.\[\]]+/g, '-').replace(/-$/, '');
  }

  /** A field's name without list positions: children[2].age -> children.age, for texts and specs. */
  function baseName(name) {
    return name.replace(/\[\d+\]/g, '');
  }

  // ------------------------------------------------------------------ the forms, as data
  function rules() {
    return state.config.rules;
  }

  var contactFields = [
    { name: 'contact.name', type: 'text', required: true, max: 'nameMax', autocomplete: 'name' },
    { name: 'contact.email', type: 'email', max: 'emailMax', autocomplete: 'email', optional: true },
    { name: 'contact.phone', type: 'tel', autocomplete: 'tel', optional: true },
    { name: 'preferredLanguage', type: 'select', required: true,
      options: function () { return rules().preferredLanguages; },
      label: function (code) { return NATIVE_NAMES[code] || code; } }
  ];

  function spec(kind) {
    var provinces = function () { return state.config.provinces.map(function (p) { return p.code; }); };
    var provinceLabel = function (code) { return t('province.' + code); };
    var spoken = { name: 'languages', type: 'multi', required: true, options: function () { return SPOKEN; },
      label: function (code) { return t('language.' + code); } };
    if (kind === 'guest') {
      return [
        { section: 'contact', fields: contactFields },
        { section: 'household', fields: [
          { name: 'adults', type: 'number', required: true, min: 1, max: 'personsMax' },
          { name: 'children', type: 'children' },
          { name: 'pets', type: 'multi', optional: true, options: function () { return rules().petKinds; },
            label: function (code) { return t('pet.' + code); } },
          { name: 'stepFreeAccessNeeded', type: 'yesno', required: true },
          { name: 'smoker', type: 'yesno', required: true },
          spoken
        ] },
        { section: 'place', fields: [
          { name: 'preferredRegions', type: 'multi', required: true, options: provinces, label: provinceLabel,
            columns: true },
          { name: 'acceptsOtherRegions', type: 'yesno', required: true },
          { name: 'neededFrom', type: 'date', required: true, pastDays: 'datePastDays', futureDays: 'dateFutureDays' },
          { name: 'notes', type: 'textarea', max: 'notesMax', optional: true }
        ] }
      ];
    }
    return [
      { section: 'contact', fields: contactFields },
      { section: 'address', fields: [
        { name: 'address.street', type: 'text', required: true, max: 'streetMax', autocomplete: 'address-line1' },
        { name: 'address.houseNumber', type: 'text', required: true, max: 'houseNumberMax', short: true },
        { name: 'address.postcode', type: 'text', required: true, pattern: 'postcodePattern', short: true,
          autocomplete: 'postal-code', normalise: normalisePostcode },
        { name: 'address.city', type: 'text', required: true, max: 'cityMax', autocomplete: 'address-level2' },
        { name: 'address.province', type: 'select', required: true, options: provinces, label: provinceLabel }
      ] },
      { section: 'home', fields: [
        { name: 'beds', type: 'number', required: true, min: 1, max: 'personsMax' },
        { name: 'rooms', type: 'number', required: true, min: 1, max: 'personsMax' },
        { name: 'separateRoom', type: 'yesno', required: true },
        { name: 'childrenWelcome', type: 'yesno', required: true },
        { name: 'petsWelcome', type: 'yesno', required: true },
        { name: 'stepFreeAccess', type: 'yesno', required: true },
        { name: 'smokingInHome', type: 'yesno', required: true },
        spoken
      ] },
      { section: 'availability', fields: [
        { name: 'availableFrom', type: 'date', required: true, pastDays: 'datePastDays', futureDays: 'dateFutureDays' },
        { name: 'availableUntil', type: 'date', required: true, pastDays: 0, futureDays: 'availableUntilFutureDays' },
        { name: 'notes', type: 'textarea', max: 'notesMax', optional: true }
      ] }
    ];
  }

  function allFields() {
    var out = {};
    spec(state.kind).forEach(function (s) {
      s.fields.forEach(function (f) { out[f.name] = f; });
    });
    out['children.age'] = { name: 'children.age', type: 'number', min: 0, max: 'childAgeMax', required: true };
    out.consentToShare = { name: 'consentToShare', type: 'consent', required: true };
    return out;
  }

  function limit(value) {
    return typeof value === 'string' ? rules()[value] : value;
  }

  // ------------------------------------------------------------------ rendering the form
  function label(f, id) {
    var node = el('label', { 'for': id });
    node.appendChild(el('span', { i18n: 'field.' + baseName(f.name) + '.label' }));
    if (f.optional) {
      node.appendChild(document.createTextNode(' '));
      node.appendChild(el('span', { className: 'optional', i18n: 'form.optional' }));
    }
    return node;
  }

  function describedBy(f, id) {
    var ids = [];
    if (has('field.' + baseName(f.name) + '.hint')) {
      ids.push(id + '-hint');
    }
    ids.push(id + '-error');
    return ids.join(' ');
  }

  function hintAndError(container, f, id) {
    if (has('field.' + baseName(f.name) + '.hint')) {
      container.appendChild(el('p', { className: 'hint', id: id + '-hint', i18n: 'field.' + baseName(f.name) + '.hint' }));
    }
    container.appendChild(el('p', { className: 'error', id: id + '-error', hidden: true }));
  }

  function renderField(f) {
    var id = fieldId(f.name);
    var wrap;
    if (f.type === 'yesno' || f.type === 'multi') {
      wrap = el('fieldset', { className: 'field', 'data-field': f.name, id: id, tabindex: '-1',
        'aria-describedby': describedBy(f, id) });
      var legend = el('legend');
      legend.appendChild(el('span', { i18n: 'field.' + f.name + '.label' }));
      if (f.optional) {
        legend.appendChild(document.createTextNode(' '));
        legend.appendChild(el('span', { className: 'optional', i18n: 'form.optional' }));
      }
      wrap.appendChild(legend);
      hintAndError(wrap, f, id);
      var options = el('div', { className: 'options' + (f.type === 'yesno' || f.columns ? ' inline' : '') });
      var values = f.type === 'yesno' ? ['true', 'false'] : f.options();
      values.forEach(function (value) {
        var input = el('input', { type: f.type === 'yesno' ? 'radio' : 'checkbox', name: f.name, value: value,
          id: id + '-' + value });
        var text = f.type === 'yesno' ? el('span', { i18n: value === 'true' ? 'form.yes' : 'form.no' })
          : el('span', { 'data-option': value });
        var l = el('label', { 'for': id + '-' + value });
        l.appendChild(input);
        l.appendChild(text);
        options.appendChild(l);
      });
      wrap.appendChild(options);
      wrap.optionLabel = f.label;
      return wrap;
    }
    wrap = el('div', { className: 'field', 'data-field': f.name });
    wrap.appendChild(label(f, id));
    hintAndError(wrap, f, id);
    var input;
    if (f.type === 'select') {
      input = el('select', { id: id, name: f.name, required: f.required });
      input.appendChild(el('option', { value: '', i18n: 'form.choose' }));
      f.options().forEach(function (value) {
        input.appendChild(el('option', { value: value, 'data-option': value }));
      });
      input.optionLabel = f.label;
    } else if (f.type === 'textarea') {
      input = el('textarea', { id: id, name: f.name, rows: '4' });
    } else {
      var type = f.type === 'children' ? 'number' : f.type;
      input = el('input', { id: id, name: f.name, type: type === 'email' || type === 'tel' ? type : type,
        autocomplete: f.autocomplete || 'off', required: f.required, className: f.short || type === 'number' ? 'short' : null,
        inputmode: type === 'number' ? 'numeric' : null, spellcheck: type === 'email' ? 'false' : null });
      if (type === 'number') {
        input.type = 'text';
        input.setAttribute('inputmode', 'numeric');
        input.setAttribute('pattern', '[0-9]*');
      }
    }
    input.setAttribute('aria-describedby', describedBy(f, id));
    wrap.appendChild(input);
    if (f.type === 'children') {
      var ages = el('div', { id: 'children-ages' });
      wrap.appendChild(ages);
      input.addEventListener('input', renderChildAges);
    }
    return wrap;
  }

  function renderChildAges() {
    var container = document.getElementById('children-ages');
    var wanted = parseInt(document.getElementById(fieldId('children')).value, 10);
    wanted = isNaN(wanted) || wanted < 0 ? 0 : Math.min(wanted, rules().personsMax);
    while (container.children.length > wanted) {
      container.removeChild(container.lastChild);
    }
    for (var i = container.children.length; i < wanted; i++) {
      var name = 'children[' + i + '].age';
      var id = fieldId(name);
      var wrap = el('div', { className: 'field', 'data-field': name });
      var l = el('label', { 'for': id, i18n: 'field.children.age.label', 'data-i18n-params': JSON.stringify({ n: i + 1 }) });
      wrap.appendChild(l);
      wrap.appendChild(el('p', { className: 'error', id: id + '-error', hidden: true }));
      wrap.appendChild(el('input', { id: id, name: name, type: 'text', inputmode: 'numeric', pattern: '[0-9]*',
        className: 'short', autocomplete: 'off', 'aria-describedby': id + '-error' }));
      container.appendChild(wrap);
    }
    applyOptionLabels();
    container.querySelectorAll('[data-i18n]').forEach(function (node) {
      node.textContent = t(node.dataset.i18n, node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : null);
    });
  }

  function applyOptionLabels() {
    document.querySelectorAll('[data-option]').forEach(function (node) {
      var owner = node.closest('select') || node.closest('fieldset');
      var fn = owner && owner.optionLabel;
      node.textContent = fn ? fn(node.dataset.option) : node.dataset.option;
    });
  }

  function renderForm(kind) {
    state.kind = kind;
    fetchTicket();
    state.errors = [];
    state.general = null;
    state.idempotencyKey = null;
    var form = document.getElementById('register');
    form.textContent = '';
    form.appendChild(el('h2', { i18n: kind === 'guest' ? 'form.guest.title' : 'form.host.title', id: 'form-title',
      tabindex: '-1' }));
    form.setAttribute('aria-labelledby', 'form-title');
    form.appendChild(el('p', { i18n: 'form.required.note' }));
    var summary = el('div', { id: 'summary', className: 'summary', tabindex: '-1', hidden: true,
      'aria-labelledby': 'summary-title' });
    summary.appendChild(el('h2', { id: 'summary-title' }));
    summary.appendChild(el('ul'));
    var live = el('div', { id: 'announce', role: 'alert', className: 'trap' });
    form.appendChild(live);
    form.appendChild(summary);
    spec(kind).forEach(function (section) {
      var fs = el('fieldset', { className: 'section' });
      fs.appendChild(el('legend', { i18n: 'section.' + section.section }));
      section.fields.forEach(function (f) { fs.appendChild(renderField(f)); });
      form.appendChild(fs);
    });
    form.appendChild(privacyStatement());
    var consent = el('div', { className: 'field', 'data-field': 'consentToShare' });
    consent.appendChild(el('p', { className: 'error', id: fieldId('consentToShare') + '-error', hidden: true }));
    var consentLabel = el('label', { 'for': fieldId('consentToShare') });
    consentLabel.appendChild(el('input', { type: 'checkbox', id: fieldId('consentToShare'), name: 'consentToShare',
      required: true, 'aria-describedby': fieldId('consentToShare') + '-error' }));
    consentLabel.appendChild(el('span', { i18n: 'field.consentToShare.label' }));
    var consentOptions = el('div', { className: 'options' });
    consentOptions.appendChild(consentLabel);
    consent.appendChild(consentOptions);
    form.appendChild(consent);
    // For robots only: people never see it, screen readers skip it, and a filled one is never sent.
    var trap = el('div', { className: 'trap', 'aria-hidden': 'true' });
    trap.appendChild(el('label', { 'for': 'f-website' }, 'Website'));
    trap.appendChild(el('input', { type: 'text', id: 'f-website', name: 'website', tabindex: '-1', autocomplete: 'off' }));
    form.appendChild(trap);
    form.appendChild(el('p', { id: 'general-error', className: 'error', hidden: true }));
    var submit = el('button', { type: 'submit', className: 'primary', id: 'submit', i18n: 'form.submit' });
    form.appendChild(submit);
    if (kind === 'guest' || kind === 'host') {
      var preferred = document.getElementById(fieldId('preferredLanguage'));
      preferred.value = state.lang;
    }
    form.hidden = false;
    document.querySelectorAll('.choice').forEach(function (b) {
      b.setAttribute('aria-expanded', String(b.dataset.kind === kind));
    });
    applyStrings();
    applyOptionLabels();
    document.getElementById('form-title').focus();
  }

  function privacyStatement() {
    var box = el('section', { className: 'privacy', 'aria-labelledby': 'privacy-title' });
    box.appendChild(el('h2', { id: 'privacy-title', i18n: 'privacy.title' }));
    var partners = state.config.partners.length ? state.config.partners.join(', ') : null;
    var params = JSON.stringify({
      partners: partners || '', days: state.config.retentionDays, contact: state.config.privacyContact
    });
    ['privacy.what', partners ? 'privacy.who' : 'privacy.who.generic', 'privacy.how.long', 'privacy.delete',
      'privacy.never'].forEach(function (key) {
      box.appendChild(el('p', { i18n: key, 'data-i18n-params': params }));
    });
    return box;
  }

  // ------------------------------------------------------------------ reading and checking
  function value(name) {
    var node = document.getElementById(fieldId(name));
    return node ? node.value.trim() : '';
  }

  function checked(name) {
    return Array.prototype.map.call(document.querySelectorAll('input[name="' + name + '"]:checked'),
      function (i) { return i.value; });
  }

  function normalisePhone(phone) {
    var digits = phone.replace(/[\s.\-()/]/g, '');
    if (digits.indexOf('00') === 0) {
      return '+' + digits.substring(2);
    }
    if (digits.indexOf('0') === 0) {
      return '+31' + digits.substring(1);
    }
    return digits;
  }

  function normalisePostcode(postcode) {
    var compact = postcode.replace(/\s/g, '').toUpperCase();
    return compact.length === 6 ? compact.substring(0, 4) + ' ' + compact.substring(4) : compact;
  }

  function whole(text) {
    return /^\d{1,3}$/.test(text) ? parseInt(text, 10) : NaN;
  }

  function isoDay(offsetDays) {
    var d = new Date();
    d.setDate(d.getDate() + offsetDays);
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  function readBody() {
    var contact = { name: value('contact.name') };
    if (value('contact.email')) {
      contact.email = value('contact.email').toLowerCase();
    }
    if (value('contact.phone')) {
      contact.phone = normalisePhone(value('contact.phone'));
    }
    var yes = function (name) {
      var c = checked(name);
      return c.length ? c[0] === 'true' : null;
    };
    var body = { contact: contact, preferredLanguage: value('preferredLanguage') || null };
    if (state.kind === 'guest') {
      body.adults = whole(value('adults'));
      body.children = [];
      document.querySelectorAll('#children-ages input').forEach(function (input) {
        body.children.push({ age: whole(input.value.trim()) });
      });
      body.pets = checked('pets');
      body.stepFreeAccessNeeded = yes('stepFreeAccessNeeded');
      body.languages = checked('languages');
      body.smoker = yes('smoker');
      body.preferredRegions = checked('preferredRegions');
      body.acceptsOtherRegions = yes('acceptsOtherRegions');
      body.neededFrom = value('neededFrom') || null;
    } else {
      body.address = { street: value('address.street'), houseNumber: value('address.houseNumber'),
        postcode: normalisePostcode(value('address.postcode')), city: value('address.city'),
        province: value('address.province') };
      body.beds = whole(value('beds'));
      body.rooms = whole(value('rooms'));
      ['separateRoom', 'childrenWelcome', 'petsWelcome', 'stepFreeAccess', 'smokingInHome'].forEach(function (n) {
        body[n] = yes(n);
      });
      body.languages = checked('languages');
      body.availableFrom = value('availableFrom') || null;
      body.availableUntil = value('availableUntil') || null;
    }
    body.consentToShare = document.getElementById(fieldId('consentToShare')).checked;
    if (value('notes')) {
      body.notes = value('notes');
    }
    // Send only what was given: the server names what is missing, just as these checks do.
    Object.keys(body).forEach(function (k) {
      if (body[k] === null || (typeof body[k] === 'number' && isNaN(body[k]))) {
        delete body[k];
      }
    });
    return body;
  }

  /** The same checks as the server (RegistrationRules), with its error codes. */
  function check() {
    var errors = [];
    var fields = allFields();
    var add = function (field, code) { errors.push({ field: field, code: code }); };
    Object.keys(fields).forEach(function (name) {
      var f = fields[name];
      if (name === 'children.age' || f.type === 'consent') {
        return;
      }
      if (f.type === 'yesno' || f.type === 'multi') {
        var c = checked(name);
        if (f.required && c.length === 0) {
          add(name, 'missing');
        } else if (name === 'languages' && c.length > rules().languagesMax) {
          add(name, 'too_many');
        }
        return;
      }
      var v = value(name);
      if (f.type === 'children') {
        if (v && (isNaN(whole(v)) || whole(v) > rules().personsMax - 1)) {
          add(name, 'out_of_range');
        }
        return;
      }
      if (!v) {
        if (f.required) {
          add(name, 'missing');
        }
        return;
      }
      if (f.max !== undefined && f.type !== 'number' && v.length > limit(f.max)) {
        add(name, 'too_long');
      } else if (f.type === 'number') {
        var n = whole(v);
        if (isNaN(n)) {
          add(name, 'wrong_type');
        } else if (n < f.min || n > limit(f.max)) {
          add(name, 'out_of_range');
        }
      } else if (f.type === 'email' && !new RegExp('^(?:' + rules().emailPattern + ')$').test(v.toLowerCase())) {
        add(name, 'invalid_format');
      } else if (f.type === 'tel' && !new RegExp('^(?:' + rules().phonePattern + ')$').test(normalisePhone(v))) {
        add(name, 'invalid_format');
      } else if (f.pattern && !new RegExp('^(?:' + rules()[f.pattern] + ')$').test(f.normalise ? f.normalise(v) : v)) {
        add(name, 'invalid_format');
      } else if (f.type === 'date') {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) {
          add(name, 'invalid_format');
        } else if (v < isoDay(-limit(f.pastDays)) || v > isoDay(limit(f.futureDays))) {
          add(name, 'out_of_range');
        }
      }
    });
    if (!value('contact.email') && !value('contact.phone')) {
      add('contact.email', 'missing');
    }
    if (state.kind === 'guest') {
      var ages = document.querySelectorAll('#children-ages input');
      ages.forEach(function (input, i) {
        var age = whole(input.value.trim());
        if (input.value.trim() === '') {
          add('children[' + i + '].age', 'missing');
        } else if (isNaN(age) || age > rules().childAgeMax) {
          add('children[' + i + '].age', 'out_of_range');
        }
      });
      var adults = whole(value('adults'));
      if (!isNaN(adults) && adults + ages.length > rules().personsMax) {
        add('children', 'out_of_range');
      }
    } else {
      var from = value('availableFrom');
      var until = value('availableUntil');
      if (from && until && until <= from && !errors.some(function (e) { return e.field === 'availableUntil'; })) {
        add('availableUntil', 'date_order');
      }
    }
    if (!document.getElementById(fieldId('consentToShare')).checked) {
      add('consentToShare', 'must_be_true');
    }
    return errors;
  }

  // ------------------------------------------------------------------ errors
  function params(field) {
    var f = allFields()[baseName(field)] || {};
    var out = {};
    if (f.max !== undefined) {
      out.max = limit(f.max);
    }
    if (f.min !== undefined) {
      out.min = f.min;
    }
    if (baseName(field) === 'children') {
      out.max = rules().personsMax;
    }
    if (f.type === 'date') {
      out.min = formatDay(isoDay(-limit(f.pastDays)));
      out.max = formatDay(isoDay(limit(f.futureDays)));
    }
    if (baseName(field) === 'languages') {
      out.max = rules().languagesMax;
    }
    return out;
  }

  function message(error) {
    var specific = 'error.' + baseName(error.field) + '.' + error.code;
    var key = has(specific) ? specific : has('error.' + error.code) ? 'error.' + error.code : 'error.invalid_value';
    return t(key, params(error.field));
  }

  function fieldLabel(field) {
    if (/^children\[\d+\]\.age$/.test(field)) {
      return t('field.children.age.label', { n: parseInt(field.match(/\d+/)[0], 10) + 1 });
    }
    return has('field.' + field + '.label') ? t('field.' + field + '.label') : field;
  }

  function renderErrors(moveFocus) {
    var form = document.getElementById('register');
    if (!form || form.hidden) {
      return;
    }
    form.querySelectorAll('.field.invalid').forEach(function (f) { f.classList.remove('invalid'); });
    form.querySelectorAll('[aria-invalid]').forEach(function (i) { i.removeAttribute('aria-invalid'); });
    form.querySelectorAll('p.error').forEach(function (p) { p.hidden = true; p.textContent = ''; });
    var summary = document.getElementById('summary');
    var list = summary.querySelector('ul');
    list.textContent = '';
    var general = document.getElementById('general-error');
    if (state.general) {
      general.textContent = t(state.general);
      general.hidden = false;
    }
    if (!state.errors.length) {
      summary.hidden = true;
      return;
    }
    var seen = {};
    state.errors.forEach(function (error) {
      var id = fieldId(error.field);
      var text = message(error);
      var target = document.getElementById(id);
      var p = document.getElementById(id + '-error');
      if (p && !seen[error.field]) {
        p.textContent = text;
        p.hidden = false;
        var wrap = p.closest('.field');
        if (wrap) {
          wrap.classList.add('invalid');
        }
        if (target) {
          target.setAttribute('aria-invalid', 'true');
        }
      }
      seen[error.field] = true;
      var link = el('a', { href: '#' + (target ? focusTarget(target).id : 'register') });
      link.textContent = fieldLabel(error.field) + ' — ' + text;
      link.addEventListener('click', function (e) {
        e.preventDefault();
        if (target) {
          focusTarget(target).focus();
        }
      });
      list.appendChild(el('li', null, link));
    });
    summary.querySelector('h2').textContent = t(state.errors.length === 1 ? 'error.summary.one' : 'error.summary.many',
      { n: state.errors.length });
    summary.hidden = false;
    if (moveFocus) {
      summary.focus();
    }
  }

  /** For a group of options, its first option; else the field itself. */
  function focusTarget(node) {
    if (node.tagName === 'FIELDSET') {
      var first = node.querySelector('input');
      return first || node;
    }
    return node;
  }

  function announce(key) {
    var live = document.getElementById('announce');
    if (live) {
      live.textContent = t(key);
    }
  }

  // ------------------------------------------------------------------ sending
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' + hex.substr(20);
  }

  function setBusy(busy) {
    state.busy = busy;
    var button = document.getElementById('submit');
    button.setAttribute('aria-disabled', String(busy));
    button.dataset.i18n = busy ? 'form.sending' : 'form.submit';
    button.textContent = t(button.dataset.i18n);
  }

  function submit(event) {
    event.preventDefault();
    if (state.busy) {
      return; // a second click while the first is on its way sends nothing
    }
    state.general = null;
    state.errors = state.clientChecks ? check() : [];
    if (state.errors.length) {
      renderErrors(true);
      return;
    }
    renderErrors(false);
    var body = readBody();
    // The hidden field goes to the server as it is: a person never fills it, and the server, not the page,
    // decides what that means (a filled one is stored, and held back for a person to look at).
    body.website = document.getElementById('f-website').value;
    var payload = JSON.stringify(body);
    // One key per content: a retry of the same registration (after a lost answer) is recognised by the
    // server and answered with the first result; a changed registration is a new request.
    if (payload !== state.keyPayload) {
      state.idempotencyKey = newKey();
      state.keyPayload = payload;
    }
    setBusy(true);
    announce('form.sending');
    var send = function (ticket) {
      var headers = { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': state.idempotencyKey };
      if (ticket) {
        headers['form-ticket'] = ticket.ticket;
      }
      return fetch('/registrations/' + (state.kind === 'guest' ? 'guests' : 'hosts'),
        { method: 'POST', headers: headers, body: payload }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { response: response, data: data };
        });
      });
    };
    var again = function (answer) {
      if (!ticketRefused(answer.response, answer.data)) {
        return answer;
      }
      // Too early, spent or expired: a new ticket, and the wait it names, then once more.
      return fetchTicket().then(function (ticket) {
        var wait = ticket ? Math.max(0, Date.parse(ticket.notBefore) - Date.now()) : 0;
        return new Promise(function (resolve) { setTimeout(resolve, wait + 100); }).then(function () {
          return send(ticket);
        });
      });
    };
    (state.ticket || fetchTicket()).then(send).then(again).then(function (answer) {
      var response = answer.response;
      return Promise.resolve(answer.data).then(function (data) {
        if (response.ok) {
          state.done = { kind: state.kind, id: data.id, statusUrl: data.statusUrl };
          renderDone();
          return;
        }
        if (response.status === 400 && data.errors && data.errors.length) {
          state.errors = data.errors.map(function (e) { return { field: e.field, code: e.code }; });
          renderErrors(true);
        } else {
          state.general = response.status === 429 ? 'error.busy' : response.status >= 500 ? 'error.server' : 'error.general';
          renderErrors(false);
          announce(state.general);
        }
      });
    }).catch(function () {
      state.general = 'error.network';
      renderErrors(false);
      announce('error.network');
    }).then(function () {
      if (!state.done) {
        setBusy(false);
      }
    });
  }

  function statusLink(url) {
    return url + (url.indexOf('?') >= 0 ? '&' : '?') + 'lang=' + state.lang;
  }

  function renderDone() {
    var done = document.getElementById('done');
    var d = state.done;
    done.textContent = '';
    var panel = el('div', { className: 'panel' });
    panel.appendChild(el('h2', { id: 'done-title', tabindex: '-1' }, t('done.title')));
    panel.appendChild(el('p', null, t('done.reference')));
    panel.appendChild(el('p', { className: 'reference', id: 'reference' }, d.id));
    panel.appendChild(el('h3', null, t('done.next.title')));
    panel.appendChild(el('p', null, t(d.kind === 'guest' ? 'done.next.guest' : 'done.next.host')));
    var link = el('a', { href: statusLink(d.statusUrl), id: 'status-link' }, t('done.status.link'));
    panel.appendChild(el('p', null, link));
    panel.appendChild(el('p', null, t('done.status.keep')));
    done.appendChild(panel);
    var wasHidden = done.hidden;
    done.hidden = false;
    document.getElementById('register').hidden = true;
    document.getElementById('choose').hidden = true;
    if (wasHidden) {
      document.getElementById('done-title').focus();
    }
  }

  // ------------------------------------------------------------------ status page
  var statusData = null;

  function loadStatus() {
    fetch(location.pathname + location.search, { headers: { accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        statusData = r.ok ? data : { missing: true };
        renderStatus();
        document.body.dataset.ready = 'true';
      });
    }).catch(function () {
      statusData = { failed: true };
      renderStatus();
    });
  }

  function formatDay(iso) {
    var date = new Date(iso.length === 10 ? iso + 'T12:00:00' : iso);
    return new Intl.DateTimeFormat(state.lang, { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
  }

  function renderStatus() {
    var box = document.getElementById('status');
    if (!statusData) {
      return;
    }
    box.textContent = '';
    if (statusData.missing || statusData.failed) {
      box.appendChild(el('p', { className: 'notice' }, t(statusData.missing ? 'status.missing' : 'error.network')));
      return;
    }
    var key = 'status.' + statusData.kind + '.' + statusData.status;
    box.appendChild(el('p', { className: 'status-value', id: 'status-value' }, has(key) ? t(key) : statusData.status));
    if (has(key + '.explain')) {
      box.appendChild(el('p', null, t(key + '.explain')));
    }
    var facts = el('dl', { className: 'facts' });
    facts.appendChild(el('dt', null, t('status.reference')));
    facts.appendChild(el('dd', null, statusData.id));
    facts.appendChild(el('dt', null, t('status.registered')));
    facts.appendChild(el('dd', null, formatDay(statusData.registeredAt)));
    facts.appendChild(el('dt', null, t('status.updated')));
    facts.appendChild(el('dd', null, formatDay(statusData.updatedAt)));
    box.appendChild(facts);
    // The organisation that helps: its name and public contact (its desk, never a staff member).
    var org = statusData.organisation;
    if (org && org.name) {
      var who = el('section', { className: 'organisation', id: 'organisation' });
      who.appendChild(el('h2', null, t('status.organisation.title')));
      who.appendChild(el('p', { className: 'organisation-name' }, org.name));
      var ways = el('ul', null);
      if (org.phone) {
        ways.appendChild(el('li', null)).appendChild(el('a', { href: 'tel:' + org.phone }, org.phone));
      }
      if (org.email) {
        ways.appendChild(el('li', null)).appendChild(el('a', { href: 'mailto:' + org.email }, org.email));
      }
      if (org.website) {
        ways.appendChild(el('li', null)).appendChild(el('a', { href: org.website, rel: 'noopener' }, org.website));
      }
      if (ways.childNodes.length) {
        who.appendChild(ways);
      }
      box.appendChild(who);
    }
    if (statusData.justWithdrawn) {
      box.appendChild(el('p', { className: 'notice', id: 'withdraw-done', role: 'status' }, t('status.withdraw.done')));
    }
    renderCorrection(box);
    renderWithdrawal(box);
  }

  // The household or host corrects its contact or dates (POST /registrations/{id}/details): typed afresh, since
  // the page holds no personal data to show back; checked by the server as at registration.
  var CORRECT_DATES = { guest: ['neededFrom'], host: ['availableFrom', 'availableUntil'] };
  var DATES_OPEN = { guest: ['open'], host: ['screening', 'approved'] };
  var correcting = { open: false, errors: [], sending: false, done: null, values: {} };

  // The form's messages, without its field rules (not loaded on this page): a range is said in general words.
  function correctionMessage(error) {
    var specific = 'error.' + error.field + '.' + error.code;
    if (error.code !== 'out_of_range' && has(specific)) {
      return t(specific);
    }
    return t(error.code !== 'out_of_range' && has('error.' + error.code) ? 'error.' + error.code : 'error.invalid_value');
  }

  function renderCorrection(box) {
    if (ENDED.indexOf(statusData.status) >= 0) {
      return;
    }
    var section = el('section', { className: 'correct', id: 'correct', 'aria-labelledby': 'correct-title' });
    section.appendChild(el('h2', { id: 'correct-title' }, t('status.correct.title')));
    section.appendChild(el('p', null, t('status.correct.intro')));
    if (correcting.done) {
      section.appendChild(el('p', { className: 'notice', id: 'correct-done', role: 'status' }, t(correcting.done)));
    }
    if (!correcting.open) {
      var start = el('button', { type: 'button', id: 'correct-open', className: 'secondary' }, t('status.correct.open'));
      start.addEventListener('click', function () {
        correcting.open = true;
        correcting.done = null;
        renderStatus();
        document.getElementById('c-contact.name').focus();
      });
      section.appendChild(start);
      box.appendChild(section);
      return;
    }
    var form = el('form', { id: 'correct-form', novalidate: true });
    var errorFor = function (field) {
      return correcting.errors.filter(function (e) { return e.field === field; })[0];
    };
    var input = function (field, type, autocomplete) {
      var id = 'c-' + field;
      var wrap = el('div', { className: 'field' });
      wrap.appendChild(el('label', { for: id }, fieldLabel(field)));
      var error = errorFor(field);
      // What the person typed stays through a round with errors (kept in this page only, never stored).
      var attrs = { id: id, name: field, type: type, autocomplete: autocomplete || null,
        value: correcting.values[field] || null,
        'aria-invalid': error ? 'true' : null, 'aria-describedby': error ? id + '-error' : null };
      wrap.appendChild(el('input', attrs));
      if (error) {
        wrap.appendChild(el('p', { className: 'error', id: id + '-error' }, correctionMessage(error)));
      }
      return wrap;
    };
    var contact = el('fieldset', null);
    contact.appendChild(el('legend', null, t('status.correct.contact')));
    contact.appendChild(input('contact.name', 'text', 'name'));
    contact.appendChild(input('contact.email', 'email', 'email'));
    contact.appendChild(input('contact.phone', 'tel', 'tel'));
    form.appendChild(contact);
    var dates = el('fieldset', null);
    dates.appendChild(el('legend', null, t('status.correct.dates')));
    if ((DATES_OPEN[statusData.kind] || []).indexOf(statusData.status) >= 0) {
      (CORRECT_DATES[statusData.kind] || []).forEach(function (field) {
        dates.appendChild(input(field, 'date'));
      });
    } else {
      dates.appendChild(el('p', null, t('status.correct.in_a_match')));
    }
    form.appendChild(dates);
    var general = errorFor('');
    if (general) {
      form.appendChild(el('p', { className: 'error', id: 'correct-error', role: 'alert' }, t(general.code)));
    } else if (correcting.errors.length) {
      form.appendChild(el('p', { className: 'error', id: 'correct-error', role: 'alert' }, t('status.correct.check')));
    }
    form.appendChild(el('button', { type: 'submit', id: 'correct-save', className: 'primary',
      'aria-disabled': correcting.sending ? 'true' : null }, t('status.correct.save')));
    var cancel = el('button', { type: 'button', id: 'correct-cancel', className: 'secondary' }, t('status.correct.cancel'));
    cancel.addEventListener('click', function () {
      correcting.open = false;
      correcting.errors = [];
      correcting.values = {};
      renderStatus();
    });
    form.appendChild(cancel);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (correcting.sending) {
        return; // a double click sends once
      }
      var value = function (field) {
        var node = document.getElementById('c-' + field);
        return node && node.value.trim() ? node.value.trim() : null;
      };
      ['contact.name', 'contact.email', 'contact.phone'].concat(CORRECT_DATES[statusData.kind] || [])
        .forEach(function (field) { correcting.values[field] = value(field); });
      var body = {};
      if (value('contact.name') || value('contact.email') || value('contact.phone')) {
        body.contact = { name: value('contact.name') };
        if (value('contact.email')) {
          body.contact.email = value('contact.email');
        }
        if (value('contact.phone')) {
          body.contact.phone = value('contact.phone');
        }
      }
      (CORRECT_DATES[statusData.kind] || []).forEach(function (field) {
        if (value(field)) {
          body[field] = value(field);
        }
      });
      correcting.sending = true;
      fetch(location.pathname + '/details' + location.search, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          correcting.sending = false;
          if (r.ok) {
            correcting.open = false;
            correcting.errors = [];
            correcting.values = {};
            correcting.done = data.corrected && data.corrected.length ? 'status.correct.done' : 'status.correct.same';
            statusData.updatedAt = new Date().toISOString();
          } else if (r.status === 400 && data.errors) {
            correcting.errors = data.errors;
          } else {
            correcting.errors = [{ field: '', code: r.status === 409 ? 'status.correct.in_a_match'
              : r.status >= 500 ? 'error.server' : 'error.general' }];
          }
          renderStatus();
          var focus = document.querySelector('#correct [aria-invalid=true]') || document.getElementById('correct-done')
            || document.getElementById('correct-error');
          if (focus) {
            if (focus.tagName !== 'INPUT') {
              focus.setAttribute('tabindex', '-1');
            }
            focus.focus();
          }
        });
      }).catch(function () {
        correcting.sending = false;
        correcting.errors = [{ field: '', code: 'error.network' }];
        renderStatus();
      });
    });
    section.appendChild(form);
    box.appendChild(section);
  }

  // The household or host withdraws itself: a reason code, no words (POST /registrations/{id}/withdraw).
  var OWN_REASONS = { guest: ['found_own_place', 'returned', 'no_longer_needed'], host: ['no_longer_available'] };
  var ENDED = ['closed', 'withdrawn', 'rejected'];
  var withdrawing = { open: false, error: null, sending: false };

  function renderWithdrawal(box) {
    if (ENDED.indexOf(statusData.status) >= 0) {
      return;
    }
    var section = el('section', { className: 'withdraw', id: 'withdraw', 'aria-labelledby': 'withdraw-title' });
    section.appendChild(el('h2', { id: 'withdraw-title' }, t('status.withdraw.title')));
    if (statusData.status === 'placed' || statusData.status === 'hosting') {
      section.appendChild(el('p', null, t('status.withdraw.placed')));
      box.appendChild(section);
      return;
    }
    section.appendChild(el('p', null, t('status.withdraw.intro.' + statusData.kind)));
    if (!withdrawing.open) {
      var start = el('button', { type: 'button', id: 'withdraw-open', className: 'secondary' }, t('status.withdraw.open'));
      start.addEventListener('click', function () {
        withdrawing.open = true;
        renderStatus();
        var first = document.querySelector('#withdraw input[type=radio]');
        if (first) {
          first.focus();
        }
      });
      section.appendChild(start);
      box.appendChild(section);
      return;
    }
    var form = el('form', { id: 'withdraw-form', novalidate: true });
    var set = el('fieldset', { className: 'options' });
    set.appendChild(el('legend', null, t('status.withdraw.reason')));
    (OWN_REASONS[statusData.kind] || []).forEach(function (code) {
      var label = el('label');
      label.appendChild(el('input', { type: 'radio', name: 'reason', value: code, id: 'withdraw-' + code }));
      label.appendChild(el('span', null, t('status.withdraw.reason.' + code)));
      set.appendChild(label);
    });
    form.appendChild(set);
    if (withdrawing.error) {
      form.appendChild(el('p', { className: 'error', id: 'withdraw-error', role: 'alert' }, t(withdrawing.error)));
    }
    form.appendChild(el('button', { type: 'submit', id: 'withdraw-confirm', className: 'danger',
      'aria-disabled': withdrawing.sending ? 'true' : null }, t('status.withdraw.confirm')));
    var cancel = el('button', { type: 'button', id: 'withdraw-cancel', className: 'secondary' }, t('status.withdraw.cancel'));
    cancel.addEventListener('click', function () {
      withdrawing.open = false;
      withdrawing.error = null;
      renderStatus();
    });
    form.appendChild(cancel);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var chosen = form.querySelector('input[name=reason]:checked');
      if (withdrawing.sending) {
        return; // a double click sends once
      }
      if (!chosen) {
        withdrawing.error = 'status.withdraw.choose';
        renderStatus();
        return;
      }
      withdrawing.sending = true;
      fetch(location.pathname + '/withdraw' + location.search, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ reason: chosen.value })
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          withdrawing.sending = false;
          if (r.ok) {
            withdrawing.open = false;
            withdrawing.error = null;
            statusData.status = data.status;
            statusData.updatedAt = new Date().toISOString();
            statusData.justWithdrawn = true;
          } else {
            withdrawing.error = r.status === 409 ? 'status.withdraw.placed' : r.status >= 500 ? 'error.server' : 'error.general';
          }
          renderStatus();
          var focus = document.getElementById(r.ok ? 'withdraw-done' : 'withdraw-error');
          if (focus) {
            focus.setAttribute('tabindex', '-1');
            focus.focus();
          }
        });
      }).catch(function () {
        withdrawing.sending = false;
        withdrawing.error = 'error.network';
        renderStatus();
      });
    });
    section.appendChild(form);
    box.appendChild(section);
  }

  // ------------------------------------------------------------------ start
  function start() {
    languageSwitch();
    var lang = chooseLanguage();
    if (document.body.dataset.page === 'status') {
      setLanguage(lang).then(loadStatus);
      return;
    }
    state.clientChecks = new URLSearchParams(location.search).get('checks') !== 'server';
    Promise.all([getJson('/assets/config.json'), setLanguage(lang)]).then(function (results) {
      state.config = results[0];
      document.querySelectorAll('.choice').forEach(function (b) {
        b.addEventListener('click', function () { renderForm(b.dataset.kind); });
      });
      document.getElementById('register').addEventListener('submit', submit);
      document.body.dataset.ready = 'true';
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
