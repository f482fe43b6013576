export { startSandbox, proxyInvoker, DEFAULT_NODE_NAME, type Sandbox, type SandboxOptions } from './sandbox.ts';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigOptions } from './kubeconfig.ts';
