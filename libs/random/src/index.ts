export { SeededRandom, seededRandom, shuffleInPlace } from './seeded.random.js';
