import { benchEngine } from './engine.ts';
const t = performance.now();
console.log(await benchEngine());
console.log('wall s', ((performance.now() - t) / 1000).toFixed(1));
