// Measures one user action in the page: from the input event's own timestamp (the moment
// the browser received the click, key or typed text) until a MutationObserver sees the
// expected result in the DOM. Also notes when the page last talked to the server, so the
// bench can wait until the page is quiet before the next action, and splits the time into
// before the event is sent, until the last answer arrives, and rendering after it.
(() => {
  const bench = { armed: false, t0: null, sentAfter: null, received: null, done: null, activity: 0,
    hydrated: null };
  window.__ccBench = bench;
  for (const type of ["click", "input", "keydown"]) {
    window.addEventListener(
      type,
      (event) => {
        if (bench.armed && bench.t0 === null) bench.t0 = event.timeStamp;
      },
      true,
    );
  }
  // Reflex calls this hook right before it sends an event over the websocket.
  window.__reflex_otel = {
    onEventSend: (event) => {
      if (bench.armed) bench.log.push([performance.now() - bench.t0, "send", event.name]);
      if (bench.armed && bench.t0 !== null && bench.sentAfter === null) {
        bench.sentAfter = performance.now();
      }
    },
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (message) => {
        bench.activity = performance.now();
        // the first state update (socket.io event packet "42..."): the page is hydrated
        if (String(message.data).startsWith("42")) bench.hydrated ??= bench.activity;
        if (!bench.armed) return;
        bench.received = bench.activity;
        const data = String(message.data);
        bench.log.push([bench.received - bench.t0, "receive", data.length, data.slice(0, 60)]);
      });
    }
    send(data) {
      bench.activity = performance.now();
      return super.send(data);
    }
  };
  window.__ccQuiet = (ms) => performance.now() - bench.activity > ms;
  window.__ccArm = (condition) => {
    const met = new Function(`return (${condition});`);
    if (met()) throw new Error(`already true before the action: ${condition}`);
    Object.assign(bench, { armed: true, t0: null, sentAfter: null, received: null, log: [] });
    bench.done = new Promise((resolve, reject) => {
      const observer = new MutationObserver(() => {
        if (!met()) return;
        const end = performance.now();
        observer.disconnect();
        bench.armed = false;
        resolve(end);
      });
      observer.observe(document, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
      setTimeout(() => {
        observer.disconnect();
        reject(new Error(`not seen within 30 s: ${condition}`));
      }, 30000);
    });
  };
  window.__ccResult = async () => {
    const end = await bench.done;
    const sent = bench.sentAfter ?? bench.t0;
    const received = bench.received ?? sent;
    return {
      total: end - bench.t0,
      fromSend: end - sent,
      // where the time went: in the browser before the event left, waiting for the
      // server's last answer, and rendering after it
      parts: [sent - bench.t0, received - sent, end - received],
      // what went over the websocket: [ms after the action, "send", event name] and
      // [ms after the action, "receive", characters, the first 60 of them]
      log: bench.log,
    };
  };
})();
