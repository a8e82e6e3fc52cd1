// Records which sources the current build was made from, so `npm start` rebuilds only when needed.
import { writeFileSync } from 'node:fs';
import { sourceFingerprint } from './fingerprint.js';

writeFileSync('build/.stamp', sourceFingerprint());
