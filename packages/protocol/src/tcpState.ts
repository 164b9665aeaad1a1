import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './wireCodes.js';

/**
 * What a TCP flow row's flags (ORed over its interval) say of its connection: `reset` (an RST went by: a
 * refused connect or an aborted one), `syn only` (a connect attempt nobody answered in the interval),
 * `closing` (a FIN), `established` (acknowledged data), or '' when no flags were seen.
 */
export type TcpState = 'reset' | 'syn only' | 'closing' | 'established' | '';

export function tcpState(flags: number): TcpState {
  if (flags & TCP_RST) return 'reset';
  if (flags & TCP_SYN && !(flags & TCP_ACK)) return 'syn only';
  if (flags & TCP_FIN) return 'closing';
  if (flags & TCP_ACK) return 'established';
  return '';
}
