// A failure of the cluster itself (the engine unreachable, a worker gone, a batch lost
// or duplicated, a worker with another spec): reported as a usage error is, with its
// message and exit code 2, never as a spec error or an internal stack trace.
import { UsageError } from '../core/params.js';

export class ClusterError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterError';
  }
}
