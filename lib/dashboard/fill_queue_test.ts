import assert from "node:assert/strict";
import { FillQueue } from "./fill_queue.ts";

/** A scheduler run by hand: each `next()` is one later task of the browser. */
function manualTasks() {
  const queue: Array<() => void> = [];
  return {
    schedule: (fn: () => void) => void queue.push(fn),
    next(): boolean {
      const fn = queue.shift();
      fn?.();
      return fn !== undefined;
    },
    get booked() {
      return queue.length;
    },
  };
}

Deno.test("FillQueue: a task draws at most its budget; the rest wait for later tasks", () => {
  const tasks = manualTasks();
  const fills = new FillQueue(3, tasks.schedule);
  const drawn: number[] = [];
  // Ten views mount in one task: three draw now, seven wait.
  for (let view = 0; view < 10; view++) {
    if (fills.take()) drawn.push(view);
    else {
      fills.wait(() => {
        // Called back in a later task, the view renders again and takes from that budget.
        assert.ok(fills.take(), "a view called back may draw");
        drawn.push(view);
      });
    }
  }
  assert.deepEqual(drawn, [0, 1, 2]);
  assert.equal(fills.waiting, 7);
  const perTask: number[] = [];
  while (fills.waiting > 0) {
    const before = drawn.length;
    assert.ok(tasks.next(), "a task is booked while views wait");
    perTask.push(drawn.length - before);
  }
  assert.deepEqual(perTask, [3, 3, 1]);
  assert.deepEqual(drawn, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("FillQueue: the budget starts again in the next task", () => {
  const tasks = manualTasks();
  const fills = new FillQueue(2, tasks.schedule);
  assert.equal(fills.take(), true);
  assert.equal(fills.take(), true);
  assert.equal(fills.take(), false);
  assert.equal(tasks.booked, 1, "one task booked, however often the budget is asked");
  tasks.next();
  assert.equal(fills.take(), true);
});

Deno.test("FillQueue: a view that goes away before its turn is not called back", () => {
  const tasks = manualTasks();
  const fills = new FillQueue(1, tasks.schedule);
  fills.take();
  let called = false;
  const cancel = fills.wait(() => called = true);
  cancel();
  tasks.next();
  assert.equal(called, false);
  assert.equal(fills.waiting, 0);
});

Deno.test("FillQueue: a budget under one view is refused", () => {
  assert.throws(() => new FillQueue(0), RangeError);
});
