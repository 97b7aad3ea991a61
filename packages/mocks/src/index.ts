export {
  type ApiName,
  apiNames,
  defaultMockPorts,
  type PrismOptions,
  type RunningPrism,
  specFile,
  startMock,
  startProxy,
} from './prism.ts';
