import { RecurrentModel } from './src/index.js';
const I = 8,
  U = 64,
  B = 256,
  G = 4 * U;
const rnd = (n: number) => Float32Array.from({ length: n }, () => (Math.random() - 0.5) * 0.4);
const m = RecurrentModel.create({
  architecture: {
    inputSize: I,
    layers: [
      { type: 'lstm', units: U, activation: 'tanh', recurrentActivation: 'sigmoid', useBias: true },
    ],
    head: null,
  },
  weights: [
    { name: 'layers/0/kernel', shape: [I, G], values: rnd(I * G) },
    { name: 'layers/0/recurrent_kernel', shape: [U, G], values: rnd(U * G) },
    { name: 'layers/0/bias', shape: [G], values: rnd(G) },
  ],
});
const st = m.createStepper(B),
  s = m.createStates(B),
  x = rnd(B * I),
  o = new Float32Array(B * U);
for (let i = 0; i < 200; i++) st.step(x, s, B, o);
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let i = 0; i < 300; i++) st.step(x, s, B, o);
  console.log((((performance.now() - t) / 300 / B) * 1000).toFixed(3), 'µs/key-step');
}
