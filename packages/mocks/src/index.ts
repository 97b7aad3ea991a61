export {
  type ApiName,
  apiNames,
  defaultMockPorts,
  type MockOptions,
  type PrismOptions,
  type RunningMock,
  type RunningPrism,
  specFile,
  startMock,
  startProxy,
} from './prism.ts';
