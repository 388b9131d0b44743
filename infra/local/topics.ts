/**
 * Local stand-in for the manifests' notification topics (SNS in AWS): a rule on the local bus
 * per declared topic, with the same pattern as the CDK rule, records each matching event as
 * the message SNS would carry (the EventBridge envelope as JSON). Tests read them with
 * `rt.topics.messages(service, topic)`; nothing leaves the machine.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceManifest } from '../../shared/manifest.ts';
import type { EventEnvelope } from './eventbridge/envelope.ts';
import type { RuleSpec } from './eventbridge/bus.ts';

export interface TopicMessage {
  messageId: string;
  /** What SNS delivers as `Message`: the event envelope, JSON. */
  message: string;
  envelope: EventEnvelope;
  publishedAt: string;
}

/** Messages kept per topic (oldest dropped first); enough for any test or demo. */
const MAX_MESSAGES = 1000;

export class LocalTopics {
  private readonly byTopic = new Map<string, TopicMessage[]>();
  private readonly declared = new Set<string>();

  /** One bus rule per declared topic of each manifest. */
  rules(manifests: readonly ServiceManifest[]): RuleSpec[] {
    return manifests.flatMap((manifest) =>
      (manifest.topics ?? []).map((topic) => {
        const key = `${manifest.name}/${topic.name}`;
        this.declared.add(key);
        return {
          id: `${manifest.name}.topic.${topic.name}`,
          pattern: topic.pattern,
          target: async (event: EventEnvelope) => {
            this.record(key, event);
          },
        } satisfies RuleSpec;
      }),
    );
  }

  /** The topics declared by the manifests, as `service/topic`. */
  names(): string[] {
    return [...this.declared];
  }

  messages(service: string, topic: string): TopicMessage[] {
    const key = `${service}/${topic}`;
    if (!this.declared.has(key)) throw new Error(`no topic ${topic} is declared by service ${service}`);
    return [...(this.byTopic.get(key) ?? [])];
  }

  private record(key: string, envelope: EventEnvelope): void {
    const list = this.byTopic.get(key) ?? [];
    list.push({ messageId: randomUUID(), message: JSON.stringify(envelope), envelope, publishedAt: new Date().toISOString() });
    if (list.length > MAX_MESSAGES) list.splice(0, list.length - MAX_MESSAGES);
    this.byTopic.set(key, list);
  }
}
