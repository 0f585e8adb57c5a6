import { Text, Title } from '@mantine/core';

interface SectionHeadingProps {
  /** The heading's id, for the section's aria-labelledby. */
  id: string;
  title: string;
  intro: string;
  /** 2 for a section of the page, 3 for a part of a section. */
  order?: 2 | 3;
  introMaxWidth?: number;
}

/** A section's title with a line saying what it is for. */
export function SectionHeading({ id, title, intro, order = 2, introMaxWidth }: SectionHeadingProps) {
  return (
    <div>
      <Title order={order} size={order === 2 ? 'h3' : 'h4'} id={id}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" maw={introMaxWidth}>
        {intro}
      </Text>
    </div>
  );
}
