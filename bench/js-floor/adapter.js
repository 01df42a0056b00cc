// The least a JavaScript adapter can do, for `bench/js_floor.sh`: `verify`
// accepts and `handle` returns one fixed event, touching neither the headers
// nor the body. What a call of it costs is what componentize-js's engine
// (StarlingMonkey, SpiderMonkey's interpreter inside WebAssembly) costs every
// call before an adapter does any work of its own: the floor under every
// JavaScript adapter. Not an adapter to ship: it verifies nothing.

export const adapter = {
  manifest() {
    return {
      name: 'js-floor',
      version: '0.1.0',
      displayName: 'JavaScript floor (benchmark only)',
      description: 'Accepts everything; measures the engine, not an adapter',
      docsUrl: 'https://example.com/',
      secrets: [],
      settingsSchema: '{}',
      eventTypes: [],
      discriminator: { location: 'fixed', path: 'floor', note: '' },
      presets: [],
      fetchOrigins: [],
    };
  },

  verify(_request, _context) {},

  handle(_request, _context) {
    return {
      tag: 'events',
      val: [
        {
          eventType: 'floor',
          dedupId: undefined,
          occurredAt: undefined,
          subject: undefined,
          data: '{}',
        },
      ],
    };
  },

  sign(_input) {
    throw 'the floor adapter signs nothing';
  },
};
