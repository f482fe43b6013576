export { startSandbox, proxyInvoker, DEFAULT_NODE_NAME, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.ts';
export { SANDBOX_ADMIN, SANDBOX_AUDIENCES, type SandboxAccessRule, type SandboxUser } from './apiserver/index.ts';
