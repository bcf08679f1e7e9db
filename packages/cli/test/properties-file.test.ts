import { describe, expect, it } from '@jest/globals';
import { PropertiesSyntaxError, parseProperties } from '../dist/properties-file.js';

const pairs = (text: string) => parseProperties(text).map(({ name, value }) => [name, value]);

describe('cli > properties file', () => {
  it('reads name=value lines and skips comments and blank lines', () => {
    const text =
      '# a comment\n! another\n\nbootstrap.servers=localhost:9092\n  client.id = shop \r\nacks:all\n';
    expect(pairs(text)).toEqual([
      ['bootstrap.servers', 'localhost:9092'],
      ['client.id', 'shop '],
      ['acks', 'all'],
    ]);
  });

  it('ends the name at the first = or :, so values keep theirs', () => {
    expect(pairs('sasl.password=a=b:c==\nschema.registry.url=http://host:8081/apis?x=1')).toEqual([
      ['sasl.password', 'a=b:c=='],
      ['schema.registry.url', 'http://host:8081/apis?x=1'],
    ]);
  });

  it('joins continued lines and reads escapes as java.util.Properties does', () => {
    const text =
      'sasl.jaas.config=ScramLoginModule required \\\n    username="alice";\nname\\=x=a\\tb\\\\c\\u0041\\q';
    expect(pairs(text)).toEqual([
      ['sasl.jaas.config', 'ScramLoginModule required username="alice";'],
      ['name=x', 'a\tb\\cAq'],
    ]);
  });

  it('keeps an empty value and gives each property the line it starts on', () => {
    expect(parseProperties('\n\nssl.endpoint.identification.algorithm=\n')).toEqual([
      { name: 'ssl.endpoint.identification.algorithm', value: '', line: 3 },
    ]);
  });

  it('refuses a line without = or :, naming its number and not its text', () => {
    let thrown: unknown;
    try {
      parseProperties('client.id=a\n\nhunter2-secret\n');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PropertiesSyntaxError);
    expect((thrown as Error).message).toBe('line 3 is not name=value');
    expect(() => parseProperties('=value')).toThrow('line 1 is not name=value');
  });
});
