import { createETaalApp } from '../lib/app';

createETaalApp().app.synth();
