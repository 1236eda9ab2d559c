/** Escapes text for an XML attribute or element. */
export function xmlText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;')
}

export interface DatabaseXml {
  readonly host: string
  readonly port: number
  readonly name: string
  readonly user: string
  readonly password: string
}

/** `<database …/>` for config.xml. */
export function databaseXml(db: DatabaseXml): string {
  return `<database host="${xmlText(db.host)}" port="${db.port}" name="${xmlText(db.name)}" user="${xmlText(db.user)}" password="${xmlText(db.password)}"/>`
}

export const MAP_STAGES = {integrity: 'Migration\\Step\\Map\\Integrity', data: 'Migration\\Step\\Map\\Data', volume: 'Migration\\Step\\Map\\Volume'} as const

export interface ConfigXmlSpec {
  /** The inner XML of <source> and <destination> (e.g. from databaseXml). */
  readonly source: string
  readonly destination: string
  /** <options> elements, name → text, in order. */
  readonly options: Readonly<Record<string, string>>
  /** Stage classes of the Map step; default all three. */
  readonly stages?: {integrity?: string; data?: string; volume?: string}
}

/** A DMT-format config.xml whose only step is the Map step: what tests and the bench run. */
export function mapStepConfigXml(spec: ConfigXmlSpec): string {
  const stages = spec.stages ?? MAP_STAGES
  return `<?xml version="1.0" encoding="UTF-8"?>
<config>
  <steps mode="data">
    <step title="Map Step">
${Object.entries(stages).filter(([, value]) => value).map(([kind, value]) => `      <${kind}>${value}</${kind}>`).join('\n')}
    </step>
  </steps>
  <source>${spec.source}</source>
  <destination>${spec.destination}</destination>
  <options>
${Object.entries(spec.options).map(([name, value]) => `    <${name}>${xmlText(value)}</${name}>`).join('\n')}
  </options>
</config>
`
}
