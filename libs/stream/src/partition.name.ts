/** `topic/partition`: how logs, maps and caches name one partition. */
export function partitionName(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}
