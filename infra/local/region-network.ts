/**
 * Several regions on one machine: a registry of the running regional runtimes' event buses,
 * and the forwarding rules between them, built from `forwardingRoutes` (infra/regions.ts)
 * exactly like the CDK stacks build theirs (infra/constructs/event-bus.ts):
 *
 * - upward: FORWARDED_TO_PARENT (any `jixiao.*` source) to the parent's bus;
 * - downward: FORWARDED_TO_CHILDREN from `jixiao.indicators` to each child's bus;
 * - nothing to siblings.
 *
 * The network's members are the regions deployed together locally (what `npm start --region
 * ...` names); a region outside them is like a stack that was never deployed, so no rule
 * forwards to it, and running one region alone forwards nothing.
 * A forwarding rule is an ordinary rule of the sender's bus whose target looks the peer bus
 * up in the network when it delivers, and hands it the same envelope (cross-bus delivery in
 * EventBridge keeps the event: id, source, account, region, time). A peer that is not running
 * (not registered, or its bus closed) fails the delivery, and the sender's retry and
 * dead-letter path takes over, so nothing is lost silently; `npm run dlq -- redrive` delivers
 * it once the peer runs. The receiving bus knows the event was forwarded and does not forward
 * it further: EventBridge forwards between buses one hop only.
 */
import { REGIONS, forwardingRoutes, regionConfig, type ForwardingRoute, type RegionConfig } from '../regions.ts';
import type { LocalEventBus, RuleSpec } from './eventbridge/bus.ts';

export interface LocalRegionNetworkOptions {
  /** The regions configuration the forwarding follows (default: infra/regions.ts). */
  readonly regions?: readonly RegionConfig[];
  /**
   * Division codes of the regions deployed in this network (default: every configured one).
   * Only they may register, and only they get forwarding rules pointing at them.
   */
  readonly members?: readonly string[];
  /**
   * Delivery limits of the forwarding rules. EventBridge gives bus targets its defaults
   * (185 retries, 24 hours), which is what the local bus applies when these are absent.
   */
  readonly forwarding?: { readonly maxAttempts?: number; readonly maxEventAgeSeconds?: number };
}

/** A forwarding delivery found no running bus for the target region. */
export class PeerBusUnavailableError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`region ${to} is not running in this network: cannot forward from ${from}; the event is retried, then dead-lettered`);
    this.name = 'PeerBusUnavailableError';
  }
}

/** Rule id of a forwarding rule: `forward.to-parent.360000`, `forward.to-child.360100`. */
export function forwardingRuleId(route: Pick<ForwardingRoute, 'direction' | 'to'>): string {
  return `forward.${route.direction}.${route.to.code}`;
}

export class LocalRegionNetwork {
  readonly regions: readonly RegionConfig[];
  readonly members: readonly string[];
  private readonly forwarding: LocalRegionNetworkOptions['forwarding'];
  private readonly buses = new Map<string, LocalEventBus>();

  constructor(options: LocalRegionNetworkOptions = {}) {
    this.regions = options.regions ?? REGIONS;
    this.members = (options.members ?? this.regions.map((r) => r.code)).map((code) => this.region(code).code);
    this.forwarding = options.forwarding;
  }

  /** The configuration of a region of this network (unknown codes fail naming the known ones). */
  region(code: string): RegionConfig {
    return regionConfig(code, this.regions);
  }

  /**
   * Registers a running region's bus; returns the function that unregisters it. A region can be
   * registered once at a time: two runtimes for one region would split its events.
   */
  register(code: string, bus: LocalEventBus): () => void {
    this.region(code);
    if (!this.members.includes(code)) throw new Error(`region ${code} is not a member of this network (${this.members.join(', ')})`);
    const existing = this.buses.get(code);
    if (existing && existing !== bus) throw new Error(`region ${code} is already running in this network (bus ${existing.busName})`);
    this.buses.set(code, bus);
    return () => this.unregister(code, bus);
  }

  /** Removes a region's bus (only that bus, if given: a newer registration stays). */
  unregister(code: string, bus?: LocalEventBus): void {
    if (bus === undefined || this.buses.get(code) === bus) this.buses.delete(code);
  }

  /** The running bus of a region, if any. */
  busOf(code: string): LocalEventBus | undefined {
    return this.buses.get(code);
  }

  /** Division codes of the regions running now. */
  running(): string[] {
    return [...this.buses.keys()];
  }

  /**
   * The forwarding rules for a region's bus: one to its parent, one to each child, among the
   * network's members. Targets resolve the peer bus at delivery time, so the rules can be made
   * before any peer runs; a member that is not running then fails the delivery.
   */
  forwardingRules(code: string): RuleSpec[] {
    const region = this.region(code);
    const routes = forwardingRoutes(region, this.regions).filter((route) => this.members.includes(route.to.code));
    return routes.map((route) => ({
      id: forwardingRuleId(route),
      pattern: route.pattern,
      busTarget: true,
      ...(this.forwarding?.maxAttempts !== undefined ? { maxAttempts: this.forwarding.maxAttempts } : {}),
      ...(this.forwarding?.maxEventAgeSeconds !== undefined ? { maxEventAgeSeconds: this.forwarding.maxEventAgeSeconds } : {}),
      target: async (event) => {
        const peer = this.buses.get(route.to.code);
        if (!peer) throw new PeerBusUnavailableError(route.from.code, route.to.code);
        const sender = this.buses.get(route.from.code);
        await peer.publish([event], { forwardedFrom: sender?.busArn ?? `region ${route.from.code}` });
      },
    }));
  }
}
