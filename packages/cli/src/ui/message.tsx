import { Box, Text } from 'ink';

export type Tone = 'success' | 'info' | 'warning';

const STYLE: Record<Tone, { mark: string; colour: 'green' | 'cyan' | 'yellow' }> = {
  success: { mark: '✔', colour: 'green' },
  info: { mark: '•', colour: 'cyan' },
  warning: { mark: '!', colour: 'yellow' },
};

/** A status line with a coloured mark; further lines are indented under it. */
export function Message({ lines, tone = 'success' }: { lines: readonly string[]; tone?: Tone }) {
  const style = STYLE[tone];
  const [first = '', ...rest] = lines;
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={style.colour}>{style.mark}</Text> {first}
      </Text>
      {rest.map((line, index) => (
        <Box key={index} marginLeft={2}>
          <Text>{line}</Text>
        </Box>
      ))}
    </Box>
  );
}
