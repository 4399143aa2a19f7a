import { buildKeybillApp } from './keybill-app.ts';

buildKeybillApp().app.synth();
