/** libbpf-style facade over the simulated kernel. */
export { Libbpf, isOpenError } from './libbpf';
export type { BpfObject, BpfProgram, BpfMapHandle, BpfLink, OpenError } from './libbpf';
export { Sim } from './sim';
export type { LabelledFrame } from './sim';
export { parseSection } from './object';
export type {
  ObjectDesc,
  ProgDesc,
  MapDesc,
  StructOpsMapDesc,
  DataMapDesc,
  SectionInfo,
} from './object';
