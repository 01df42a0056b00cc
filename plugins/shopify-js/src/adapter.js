// Shopify webhooks, in JavaScript: the twin of plugins/shopify (Rust).
//
// `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the body, keyed with
// the app's client secret. The event type is the `X-Shopify-Topic` header
// (`orders/create`), the dedup id `X-Shopify-Webhook-Id` (the same on every
// retry), the subject the shop's domain. Shopify signs no timestamp. During a
// client-secret rotation Shopify signs with the new secret while the old one
// may still be in flight for up to an hour: keep both as active secrets.
//
// Built with componentize-js (see package.json): `npm run build`. The HMAC and
// the constant-time comparison are the host's (`hookyard:adapter/crypto`).

import { hmac, constantTimeEq } from 'hookyard:adapter/crypto@0.2.0';

const VERSION = '0.1.0';

// [topic, description] pairs: the same as plugins/shopify (Rust).
const TOPICS = [
  ['app/uninstalled', 'A shop uninstalled the app'],
  ['carts/create', 'A cart was created in the online store'],
  ['carts/update', 'A cart was updated in the online store'],
  ['checkouts/create', 'A checkout was created'],
  ['checkouts/update', 'A checkout was updated'],
  ['collections/create', 'A collection was created'],
  ['customers/create', 'A customer was created'],
  ['customers/delete', 'A customer was deleted'],
  ['customers/update', 'A customer was updated'],
  ['customers/data_request', 'A customer requested the data stored about them (compliance)'],
  ['customers/redact', 'A customer requested deletion of their personal data (compliance)'],
  ['fulfillments/create', 'A fulfillment was created'],
  ['fulfillments/update', 'A fulfillment was updated'],
  ['inventory_levels/update', 'An inventory level was updated'],
  ['orders/cancelled', 'An order was cancelled'],
  ['orders/create', 'An order was created'],
  ['orders/fulfilled', 'An order was fulfilled'],
  ['orders/paid', 'An order was paid'],
  ['orders/updated', 'An order was updated'],
  ['products/create', 'A product was created'],
  ['products/delete', 'A product was deleted'],
  ['products/update', 'A product was updated, or its variants were added, removed or updated'],
  ['refunds/create', 'A refund was created on an order'],
  ['shop/redact', 'Shop data erasure requested, 48 hours after the shop uninstalled the app'],
  ['shop/update', 'The shop was updated'],
];

// A function returning a WIT `result` fails by throwing the `err` value, here
// a `verify-error` or `handle-error` variant: `{ tag, val }`.

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The first header with this name, compared case-insensitively. */
function header(request, name) {
  const lower = name.toLowerCase();
  const found = request.headers.find((h) => h.name.toLowerCase() === lower);
  return found === undefined ? undefined : found.value;
}

/** Like `header`, but absent or blank is a `missing-signature` error. */
function requireHeader(request, name) {
  const value = header(request, name);
  if (value === undefined || value.trim() === '') {
    throw { tag: 'missing-signature', val: name };
  }
  return value.trim();
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard, padded base64 (what Shopify sends); `null` when invalid. */
function base64Decode(text) {
  if (!BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function base64Encode(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function hmacSha256(secret, message) {
  return hmac('sha256', utf8.encode(secret), message);
}

export const adapter = {
  manifest() {
    return {
      name: 'shopify-js',
      version: VERSION,
      displayName: 'Shopify (JavaScript)',
      description: 'Shopify store and app webhooks; the JavaScript twin of the shopify adapter',
      docsUrl:
        'https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify',
      secrets: [
        {
          label: 'Client secret',
          help: "The app's client secret (Partner Dashboard → Apps → your app → Client credentials), or for store-created webhooks the key shown under Settings → Notifications → Webhooks.",
          required: true,
        },
      ],
      settingsSchema: JSON.stringify({ type: 'object', properties: {}, additionalProperties: false }),
      eventTypes: TOPICS.map(([name, description]) => ({ name, description })),
      discriminator: { location: 'header', path: 'X-Shopify-Topic', note: '' },
      presets: [],
      fetchOrigins: [],
    };
  },

  verify(request, context) {
    if (context.secrets.length === 0) {
      throw { tag: 'unauthorized', val: 'no secret configured' };
    }
    const provided = base64Decode(requireHeader(request, 'X-Shopify-Hmac-Sha256'));
    if (provided === null) {
      throw { tag: 'malformed', val: 'X-Shopify-Hmac-Sha256 is not valid base64' };
    }
    // Try every active secret: how many matched must not show in timing.
    let matched = false;
    for (const secret of context.secrets) {
      matched = constantTimeEq(hmacSha256(secret, request.body), provided) || matched;
    }
    if (!matched) throw { tag: 'bad-signature' };
  },

  handle(request, _context) {
    const topic = header(request, 'X-Shopify-Topic');
    if (topic === undefined) {
      throw { tag: 'malformed', val: 'X-Shopify-Topic header is missing' };
    }
    let data;
    try {
      data = strictUtf8.decode(request.body);
      JSON.parse(data);
    } catch (e) {
      throw { tag: 'malformed', val: `body is not JSON: ${e.message}` };
    }
    // `data` is the body as sent: JSON.stringify(JSON.parse(...)) would round
    // Shopify's 64-bit ids to doubles.
    return {
      tag: 'events',
      val: [
        {
          eventType: topic,
          dedupId: header(request, 'X-Shopify-Webhook-Id'),
          occurredAt: undefined,
          subject: header(request, 'X-Shopify-Shop-Domain'),
          data,
        },
      ],
    };
  },

  sign(input) {
    const signature = base64Encode(hmacSha256(input.secret, input.body));
    const h = (name, value) => ({ name, value });
    return {
      method: 'POST',
      url: input.url,
      headers: [
        h('Content-Type', 'application/json'),
        h('X-Shopify-Topic', input.eventType ?? 'orders/create'),
        h('X-Shopify-Webhook-Id', input.deliveryId),
        h('X-Shopify-Shop-Domain', 'example.myshopify.com'),
        h('X-Shopify-Hmac-Sha256', signature),
      ],
      body: input.body,
    };
  },
};
